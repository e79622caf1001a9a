"""Protocol version and the size limits every side enforces."""

PROTOCOL_VERSION = 2

API_PREFIX = "/api/v1"

MAX_MESSAGE_TEXT = 10_000          # characters in one chat message / ticket post
MAX_CLIENT_MSG_ID = 64             # characters in a client-generated message id
MAX_NAME = 200                     # chat names, display names, subjects, client names
MAX_SUMMARY = 2_000                # chat summary, forward comment
MAX_URL = 2_048                    # page URL / referrer reported by the widget
MAX_USER_AGENT = 512
MAX_LOGIN = 64
MAX_PASSWORD = 256
MAX_SEARCH_QUERY = 200

DEFAULT_PAGE_LIMIT = 50
MAX_PAGE_LIMIT = 500
MAX_WS_FRAME_BYTES = 64 * 1024     # a WebSocket frame larger than this is refused (close code 1009)

RESUME_BATCH = 500                 # events replayed per batch on resume
TOKEN_TTL_SECONDS = 12 * 3600      # agent bearer tokens
FORWARD_RETURN_SECONDS = 90        # a forwarded chat nobody took returns after this long
TYPING_MIN_INTERVAL_SECONDS = 2.0  # clients send "typing: true" at most this often
