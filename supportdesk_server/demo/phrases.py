"""Phrasebook of a hosting / billing provider's support desk: names, products, questions and answers.

Shared by the seed (chat history, tickets) and the visitor simulator (first questions, follow-ups,
short answers). Plain data only. ``{domain}``, ``{invoice}``, ``{ip}`` and ``{name}`` are filled in
by the caller with :func:`fill`.
"""

from __future__ import annotations

import random

FIRST_NAMES = [
    "Anna", "Ben", "Carlos", "Chloe", "Daniel", "Elena", "Emre", "Fatima", "Felix", "Grace",
    "Hannah", "Hiro", "Ivan", "Isabel", "Jakub", "Jana", "Jonas", "Julia", "Kai", "Karin",
    "Leila", "Liam", "Lucia", "Marco", "Maria", "Mateo", "Mia", "Mohammed", "Nadia", "Nina",
    "Noah", "Olga", "Omar", "Pablo", "Paula", "Pierre", "Priya", "Rafael", "Rosa", "Ruth",
    "Samuel", "Sara", "Sofia", "Stefan", "Tariq", "Tereza", "Thomas", "Ursula", "Viktor",
    "Wei", "Yara", "Yusuf", "Zoe", "Aiko", "Bruno", "Chiara", "David", "Eva", "Gabriel", "Helga",
]

LAST_NAMES = [
    "Andersen", "Baker", "Bauer", "Becker", "Costa", "Dubois", "Evans", "Fischer", "Garcia",
    "Hansen", "Hoffmann", "Ito", "Jansen", "Kaya", "Kowalski", "Kumar", "Larsen", "Lopez",
    "Martin", "Meyer", "Moreau", "Müller", "Nakamura", "Novak", "Nowak", "O'Brien", "Olsen",
    "Petrov", "Rossi", "Santos", "Schmidt", "Silva", "Smith", "Svoboda", "Tanaka", "Taylor",
    "Vargas", "Walker", "Weber", "Wilson", "Yilmaz", "Zhang", "Horvat", "Kovacs", "Lindqvist",
    "Murphy", "Nielsen", "Popescu", "Ricci", "Sato",
]

COMPANY_SUFFIXES = ["Ltd", "GmbH", "LLC", "s.r.o.", "SAS", "BV", "AB", "Studio", "Labs", "& Co"]

PROJECT_WORDS_A = [
    "green", "blue", "north", "bright", "urban", "happy", "swift", "silver", "little", "cosy",
    "golden", "wild", "smart", "clever", "open", "quiet", "sunny", "rapid", "true", "fresh",
]
PROJECT_WORDS_B = [
    "leaf", "bakery", "garage", "pixel", "travel", "books", "coffee", "fitness", "dental", "kids",
    "games", "shop", "studio", "garden", "bikes", "yoga", "legal", "photo", "print", "pets",
]
TLDS = [".com", ".com", ".com", ".net", ".org", ".io", ".shop", ".de", ".co.uk", ".eu", ".nl"]

MAIL_PROVIDERS = ["gmail.com", "outlook.com", "proton.me", "yahoo.com", "icloud.com", "gmx.de"]

PROJECT_KINDS = [
    "Online shop", "Company website", "Blog", "Booking system", "Landing pages", "Mail server",
    "Staging", "Customer portal", "Newsletter", "API backend", "Forum", "Portfolio",
]

DEPARTMENTS = ["Sales", "Technical support", "Billing", "Domains"]

# (department, first question, follow-ups, agent answers) for chats; used by seed and simulator.
DIALOGUES: list[tuple[str, str, list[str], list[str]]] = [
    ("Technical support", "Hi, my website {domain} shows a 502 Bad Gateway since this morning.",
     ["It's a WordPress site on the shared plan.", "I didn't change anything, I promise.",
      "Now it loads again, thanks!"],
     ["Hello! Let me check the server your site is on.",
      "PHP-FPM on that node hit its worker limit; I've restarted it. Could you try again?",
      "Great. I'd also suggest enabling page caching to avoid this under load."]),
    ("Technical support", "I can't connect over SSH to my VPS {ip}, connection timed out.",
     ["I tried from two different networks.", "Could it be the firewall?"],
     ["Hi, I'm looking at the VPS now.",
      "The VPS is up but port 22 is blocked by the firewall rules you changed yesterday. "
      "I've added an allow rule for your IP.",
      "You can manage firewall rules under Services → VPS → Firewall."]),
    ("Technical support", "Emails from my domain {domain} are going to spam at Gmail.",
     ["Do I need some DNS records?", "Where do I add them?"],
     ["Hi! Usually this is SPF/DKIM/DMARC.",
      "Your domain has no DKIM record. I've generated a key; add the TXT record I'll paste next.",
      "After that, it may take up to an hour for the DNS to propagate."]),
    ("Technical support", "How do I install an SSL certificate on {domain}?",
     ["It's for my online shop.", "Is the free one enough?"],
     ["Hello! On shared hosting you can issue a free Let's Encrypt certificate in one click.",
      "For a shop the free certificate is fine; an OV certificate shows your company name.",
      "I've issued it for you, HTTPS should work within a few minutes."]),
    ("Technical support", "My site {domain} is very slow today.",
     ["It takes ~10 seconds to open the homepage.", "Is there a problem on your side?"],
     ["Hi, let me have a look at the load on your server.",
      "Your database has a few slow queries without indexes; I've sent you the slow query log.",
      "Upgrading to a plan with more RAM would also help if traffic keeps growing."]),
    ("Technical support", "I deleted a folder by mistake, can you restore a backup?",
     ["It was public_html/images.", "Yesterday's backup would be perfect."],
     ["Hi! We keep daily backups for 14 days.",
      "I've started restoring public_html/images from yesterday 03:00 UTC.",
      "Restore finished, please check the folder."]),
    ("Billing", "Hi, I paid invoice {invoice} yesterday but it still shows unpaid.",
     ["I paid by bank transfer.", "Here is the reference from my bank: TRX-88213."],
     ["Hello! Bank transfers can take 1–2 business days to arrive.",
      "I found the payment and matched it to your invoice manually.",
      "Your services have been extended, thank you!"]),
    ("Billing", "Can I get a refund for the VPS I ordered by mistake?",
     ["I ordered it an hour ago and never used it."],
     ["Hello! Unused services ordered within 24 hours can be refunded.",
      "I've cancelled the VPS and refunded the payment to your balance.",
      "Would you like it back to your card instead?"]),
    ("Billing", "Why was I charged twice this month?",
     ["I see two payments of the same amount on my card.", "Invoice {invoice} is one of them."],
     ["Hi, let me check your payments.",
      "One charge is for hosting and one for the domain renewal; they happen to be equal.",
      "I can send you both invoices by email if that helps."]),
    ("Billing", "How do I change the card for automatic payments?",
     ["The old card expired."],
     ["Hi! Go to Billing → Payment methods in your client area and add the new card.",
      "Then mark it as default; the next renewal will use it."]),
    ("Billing", "Do you issue invoices with VAT numbers for companies?",
     ["We are registered in Germany."],
     ["Hello! Yes, add your VAT ID in the client area profile.",
      "With a valid EU VAT ID the reverse charge applies automatically."]),
    ("Domains", "I want to transfer {domain} to you from another registrar.",
     ["Where do I enter the auth code?", "How long does it take?"],
     ["Hi! Order a transfer under Domains → Transfer and enter the EPP/auth code there.",
      "For .com it takes up to 5 days unless the old registrar approves earlier.",
      "Make sure the domain is unlocked at the current registrar."]),
    ("Domains", "My domain {domain} expired, can I still renew it?",
     ["It expired last week.", "My site is down because of it."],
     ["Hello! It's in the grace period, so you can renew at the normal price.",
      "I've created the renewal invoice; once it's paid the site comes back within an hour."]),
    ("Domains", "How do I point {domain} to my VPS?",
     ["The VPS IP is {ip}."],
     ["Hi! Create an A record for @ and www pointing to {ip}.",
      "I've added them for you; DNS changes propagate within an hour."]),
    ("Domains", "Is the domain {domain} available?",
     ["What would it cost per year?"],
     ["Hi! Let me check the registry.",
      "It is available; the first year is 9.99 USD, renewal 14.99 USD."]),
    ("Sales", "Hi, which plan do you recommend for a small online shop?",
     ["About 2,000 visitors a day.", "We use WooCommerce."],
     ["Hello! For WooCommerce with that traffic, Business hosting or a small VPS.",
      "Business hosting includes daily backups and a free SSL certificate.",
      "I can apply a 20% discount for the first year if you order today."]),
    ("Sales", "Do you offer dedicated servers with NVMe disks?",
     ["We need at least 64 GB RAM.", "Located in Europe ideally."],
     ["Hi! Yes, our DX-64 line has 2× NVMe and 64 GB RAM, in Frankfurt or Amsterdam.",
      "Delivery is usually within 24 hours.",
      "Shall I prepare a quote?"]),
    ("Sales", "Can I try the VPS before paying?",
     ["Just a few days to test performance."],
     ["Hi! We have a 7-day money-back guarantee on all VPS plans.",
      "Order it normally and if it doesn't fit, ask us for a full refund."]),
    ("Sales", "Do you have discounts for non-profits?",
     ["We're a small animal shelter."],
     ["Hello! Yes, registered non-profits get 50% off shared hosting.",
      "Send us your registration document by ticket and we'll apply it."]),
]

# Short visitor answers to an agent's message (simulator).
VISITOR_REPLIES = [
    "Ok, thanks.", "Thank you!", "Let me check.", "Yes, that's right.", "One moment please.",
    "Hm, it still doesn't work.", "Great, it works now!", "Sure.", "Could you explain a bit more?",
    "I'll try that.", "Thanks, that was quick!", "Perfect.", "No, not yet.", "Got it.",
]

VISITOR_GOODBYES = ["Thanks, bye!", "That's all, have a nice day.", "Thank you, goodbye.", ""]

TICKET_SUBJECTS: dict[str, list[str]] = {
    "Technical support": [
        "Website down with 500 error", "Cannot send email from Outlook", "Restore backup from last week",
        "VPS not booting after kernel update", "High CPU load on hosting account",
        "SSL certificate not renewing", "MySQL database too large", "Cron job not running",
        "FTP login fails", "PHP version upgrade request", "Migrate site from another host",
    ],
    "Billing": [
        "Invoice shows wrong company address", "Refund request", "Double charge on card",
        "Change billing currency", "Payment by bank transfer not credited", "VAT number missing on invoice",
        "Cancel automatic renewal", "Balance top-up not visible",
    ],
    "Domains": [
        "Domain transfer stuck", "Change nameservers", "WHOIS privacy", "Domain ownership change",
        "Auth code request", "Renew expired domain", "DNS zone editor error",
    ],
    "Sales": [
        "Quote for 3 dedicated servers", "Reseller programme question", "Upgrade to business plan",
        "Custom VPS configuration", "Volume discount for 50 domains",
    ],
}

TICKET_CLIENT_POSTS = [
    "Hello, since yesterday we have this problem and it affects our customers. Please help.",
    "Could you please look into this as soon as possible? Details are below.",
    "I attached the error message from the browser. Nothing changed on our side.",
    "This is the second time this month. Please advise.",
    "Hi team, as discussed in chat, here is the ticket.",
    "Any news on this?", "Thanks, it works now.", "Still the same, unfortunately.",
]
TICKET_STAFF_POSTS = [
    "Hello, thank you for contacting us. We are looking into it and will update you shortly.",
    "We have fixed the issue on our side. Could you please confirm it works for you?",
    "Please send us the exact time the error happened so we can check the logs.",
    "The change has been applied. It may take up to an hour to take effect.",
    "We have escalated this to our system administrators.",
    "Your request has been processed. Let us know if you need anything else.",
]
TICKET_NOTES = [
    "Client is a reseller, handle with priority.", "Checked logs: OOM killer on node web-14.",
    "Refund approved by head of billing.", "Waiting for registry answer.",
    "Same issue as last month, see previous ticket.", "Do not suspend: payment promised by Friday.",
]

EXPENSES = [
    ("Payment gateway fee", 0.3, 4.0), ("Domain registry fee", 7.0, 15.0),
    ("cPanel licence share", 2.0, 15.0), ("Extra backup storage", 1.0, 10.0),
    ("Bank transfer charge", 1.5, 8.0), ("Chargeback fee", 15.0, 25.0),
    ("Additional IPv4 address", 2.0, 4.0), ("Migration service", 20.0, 80.0),
]

PAYMENT_METHODS = ["Visa •••• 4242", "Mastercard •••• 5454", "PayPal", "Bank transfer", "Balance",
                   "SEPA direct debit", "Apple Pay"]

PAGES = [
    ("/", "Fast, reliable web hosting – Example Hosting"),
    ("/hosting", "Shared hosting plans – Example Hosting"),
    ("/vps", "VPS hosting with NVMe – Example Hosting"),
    ("/dedicated", "Dedicated servers – Example Hosting"),
    ("/domains", "Register a domain – Example Hosting"),
    ("/pricing", "Pricing – Example Hosting"),
    ("/billing/invoices", "Invoices – Client area"),
    ("/clientarea/services", "My services – Client area"),
    ("/support/kb/dns-propagation", "How long does DNS propagation take? – Knowledge base"),
    ("/support/kb/ssl", "Installing an SSL certificate – Knowledge base"),
]
SITE = "https://www.example-hosting.test"
REFERRERS = ["", "", "https://www.google.com/", "https://duckduckgo.com/", "https://www.bing.com/",
             "https://twitter.com/", "https://www.reddit.com/r/webhosting/", "https://news.ycombinator.com/"]
USER_AGENTS = [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/18.1 Safari/605.1.15",
    "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/18.1 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Mobile Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0",
]
LANGUAGES = [("en-GB", 0), ("en-US", 300), ("de-DE", -60), ("fr-FR", -60), ("es-ES", -60),
             ("nl-NL", -60), ("pl-PL", -60), ("cs-CZ", -60), ("en-US", 480), ("ja-JP", -540),
             ("pt-BR", 180), ("tr-TR", -180)]


def random_domain(rng: random.Random) -> str:
    return rng.choice(PROJECT_WORDS_A) + rng.choice(PROJECT_WORDS_B) + rng.choice(TLDS)


def random_ip(rng: random.Random) -> str:
    prefix = rng.choice(["5.101", "37.140", "45.133", "91.201", "185.117", "194.58", "212.83"])
    return f"{prefix}.{rng.randint(0, 255)}.{rng.randint(2, 254)}"


def fill(text: str, rng: random.Random, *, domain: str | None = None, ip: str | None = None,
         invoice: str | None = None, name: str = "") -> str:
    return text.format(
        domain=domain or random_domain(rng),
        ip=ip or random_ip(rng),
        invoice=invoice or f"INV-{rng.randint(10000, 99999)}",
        name=name,
    )
