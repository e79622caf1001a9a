<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ru" sourcelanguage="en">
<context>
    <name>ActionRegistry</name>
    <message>
        <source>%1 is already the shortcut of “%2”. Choose another key, or change that command&apos;s shortcut first.</source>
        <extracomment>Shortcuts changed (an override was applied): the shortcut sheet redraws.</extracomment>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ChangelogButton</name>
    <message>
        <source>What&apos;s new in SupportDesk (new release notes)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What&apos;s new in SupportDesk</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ChangelogTab</name>
    <message>
        <source>What&apos;s new</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ChangelogView</name>
    <message>
        <source>The release notes are not included in this build.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>From your server</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ChatClientSection</name>
    <message>
        <source>Open client area</source>
        <extracomment>The client-area link was opened (its URL). The keyboard focus belongs in the composer again (see the module docstring).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open the client&apos;s area in the browser, logged in as the client (a one-time link)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ask to log in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show the visitor the login form of the client area</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Register a new client</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show the visitor the registration form: a new client in this chat&apos;s department</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ask to authorize</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ask the visitor to confirm who they are by logging in (they may decline)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy link</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Put the client-area link on the clipboard, to paste it into a browser (it works once)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Client %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Project: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No project name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The visitor logged in.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not logged in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The visitor has not logged in to the client area in this chat.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The visitor was not asked: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The visitor sees the login form now.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The visitor was asked to confirm who they are (they may log in or decline).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The visitor sees the registration form now.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Opening the client area…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The client area could not be opened: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No web browser could be started to open the client area. Copy the link and paste it into a browser: it works once, for a minute.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The client area was handed to your web browser (the link works once).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The link is on the clipboard: paste it into your browser&apos;s address bar (it works once, for a minute).</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ChatDetailsEditor</name>
    <message>
        <source>Chat name</source>
        <extracomment>seed item 9: a ticket was created from this chat (the window opens it) A panel action is done (or a focused panel button goes away): the keyboard focus belongs in the composer again (the chat tab moves it there unless the agent chose another field).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What the chat is about</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Colleagues see the name in the list of chats</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Summary</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shown with the name when the chat is forwarded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Create ticket…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A ticket for this client, with the chat&apos;s transcript as its first message</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>The summary is too long (%Ln characters; at most %1).</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not saved: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saved</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The transcript could not be loaded: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chat with %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Visitor</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Agent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>[%1] %2: %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>[%1] %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ChatEventLine</name>
    <message>
        <source>department %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>another department</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 joined</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>An agent joined</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 went offline: the chat is waiting again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The agent went offline: the chat is waiting again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 left: the chat is waiting again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The chat is waiting again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Forwarded to %1 by %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Forwarded to %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: “%2”</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Returned to %1: nobody took it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Closed by the visitor</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Closed by %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Closed</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ChatHistoryList</name>
    <message>
        <source>Earlier chats of this visitor or client</source>
        <extracomment>The agent wants to read an earlier chat (its snapshot).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Double-click to read the chat</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No earlier chats.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The earlier chats could not be loaded: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ChatHistoryModel</name>
    <message>
        <source>(no messages)</source>
        <extracomment>The first page arrived (row count may be 0). Loading failed: a sentence.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>open</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>waiting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>From the same browser</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The same client was logged in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Same browser, same client</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ChatHistoryTab</name>
    <message>
        <source>waiting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>open</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>closed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chat of %1 (%2) · read-only</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Visitor</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (earlier chat)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The conversation could not be loaded: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ChatTab</name>
    <message>
        <source>Close chat</source>
        <extracomment>The chat was closed (by anyone). Emitted once. A message from someone else arrived while this tab was not visible. The chat was forwarded to another department (chat id, department name): it left me.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>End the conversation; the visitor is told</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Forward…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hand the chat to another department</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Send</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type a reply</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Visitor</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Waiting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Active</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Closed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Department %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This chat is closed. The conversation stays here to read; new messages cannot be sent.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The chat with %1 has ended.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is typing…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A message was not sent: %1 Click it to try again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The chat with %1 was forwarded to %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close the chat with %1? The visitor is told the chat has ended.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The chat could not be closed: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ChatTaker</name>
    <message>
        <source>A colleague took the chat with %1 first.</source>
        <extracomment>A chat was taken by this agent (its tab is open).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The chat with %1 is no longer available.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>this visitor</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A colleague took this chat first</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This chat is no longer available</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>You took the chat with %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ClientEditing</name>
    <message>
        <source>Edit name and phone…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add user…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Edit…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Disable</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Payments are read-only for you: changing them needs the right to edit payments. Ask an administrator if you need it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Services are read-only for you: changing or deleting them needs the right to edit services. Ask an administrator if you need it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enable</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Phone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Client — name and phone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Login</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Email</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Full name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Optional: at least 8 characters</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Leave empty to keep the current password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add a login user</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add user</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Login user %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Amount</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Note</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Payment %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Price</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Expires</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Service %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not changed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A colleague changed this row meanwhile; it now shows their version. Look at it and do it again if you still want to.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete service</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete the service “%1” (%2, %3)? The client loses it; this cannot be undone.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not deleted: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A phone number can have digits, spaces and + ( ) - . / only.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This does not look like an email address (name@example.com).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A login can have letters, digits and . _ @ + - only, without spaces.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A password needs at least 8 characters.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ClientListFilters</name>
    <message>
        <source>Filter users…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Filter payments…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Filter services…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Filter tickets…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Filter expenses…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Filter projects…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Filter…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No users match “{text}”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No payments match “{text}”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No services match “{text}”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No tickets match “{text}”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No expenses match “{text}”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No projects match “{text}”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing matches “{text}”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No payments with status “{status}” match “{text}”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No services with status “{status}” match “{text}”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No tickets with status “{status}” match “{text}”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing with status “{status}” matches “{text}”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No payments with status “{status}”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No services with status “{status}”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No tickets with status “{status}”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing with status “{status}”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Any status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shows only the rows with this status (with the text, if any).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shows only the rows containing this text in a text column (number, name, domain, status…), in any case. Esc clears it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{title} ({n}, filtered)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Status: {status}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Filtered by “{text}”</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ClientSearchBar</name>
    <message>
        <source>Search clients: login, email, id, domain, payment, IP, phone…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Find a client by login, email, client id, service id, domain, payment number, ticket id, IP address, phone or name. Enter opens every result in a tab.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No client matches “{query}”.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ClientTab</name>
    <message>
        <source>Try again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Email</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Phone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Project</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Client ID</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Balance</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Users</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Payments</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Services</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tickets</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Expenses</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Projects</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Double-click a ticket to open it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Client #{id}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{title} ({n})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Yes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ID</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Login</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Full name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enabled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Created</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Amount</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Method</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Paid</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Note</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Domain</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>IP address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Price</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Expires</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Subject</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Priority</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Updated</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Date</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Description</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ClientTicketsSection</name>
    <message>
        <source>New ticket</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Double-click a ticket to open it; click its priority to change it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not saved: a colleague changed ticket #{id} meanwhile (priority now {priority}, status {status}). Change it again if you still want to.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not saved: {error}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ticket #{id}: priority {priority}.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ComposeBox</name>
    <message>
        <source>Replies…</source>
        <extracomment>A message is on disk in the outbox (client_msg_id); the field was cleared. The server refused a message for good: (client_msg_id, its sentence). A message could not be written on this computer: (client_msg_id, a sentence). A sentence for the tab&apos;s notice line (&quot;Saved as pre-defined reply …&quot;).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Insert a pre-defined reply (or type / in an empty box)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ctrl+Enter sends, Enter adds a line</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ctrl+Enter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter sends, Shift+Enter adds a line</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 — %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>The text is too long: at most %Ln characters fit in one message, this one has %1. Shorten it or split it in two.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Write something first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not sent: you are not signed in. Sign in and send it again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saved as pre-defined reply “%1”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy text</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save as pre-defined reply…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Retry sending</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Discard</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ConflictModel</name>
    <message>
        <source>Field</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Their value</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your value</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ConnectionLight</name>
    <message>
        <source>Connected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connection failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Offline</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reconnecting…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Since %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last error (%2): %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Click to see the network requests.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connection: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DepartmentModel</name>
    <message>
        <source>%1 — nobody online</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%1 — %Ln online</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Nobody is online in this department: a chat cannot be forwarded there</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Desk</name>
    <message>
        <source>Starting the built-in demo server…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>built-in demo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server ended your session; please sign in again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A background operation (%1) failed unexpectedly. SupportDesk keeps running; if something looks wrong, restart it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>An unexpected error happened in SupportDesk. Your work is not lost; if something looks wrong, restart the app.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DeskActions</name>
    <message>
        <source>Chats</source>
        <extracomment>The user menu, in order (None: a separator). The header line above it is the top bar&apos;s.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Take the oldest waiting chat</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Forward the chat…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hand the chat in front to another department</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;End the chat…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>End the conversation in front (asks first; the visitor is told)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Insert a pre-defined &amp;reply…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Online — take new chats</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>O&amp;ffline — my chats go back to the list</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tabs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Waiting chats tab</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>List of waiting chats</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The chats waiting, under the counter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Tickets</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>My tickets and my departments&apos;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Search clients</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Next tab</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Previous tab</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Close tab</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close the tab in front (a chat asks first)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Desk</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Network requests</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Notifications &amp;log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Settings…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What&apos;s &amp;new</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What changed in this version</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Log out</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Quit SupportDesk</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DesktopIntegration</name>
    <message>
        <source>SupportDesk lost the connection</source>
        <extracomment>A dropped connection is announced only when it is not back within this time: a blip that the reconnect repairs at once is not worth a popup; an outage (no chats arrive!) is. The waiting notification names this many chats, then &quot;and N more&quot;; it is persistent only while the agent is away (see ``agent_away`` and docs/architecture.md, &quot;The notification rule&quot;).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New chats cannot reach you until it is back.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A visitor</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New chat: %1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New chat: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>and %Ln more</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n chats are waiting</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Visitor</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Client</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ticket #%1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chat forwarded to you: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>From %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nobody in %1 took it in time.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nobody took it in time.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Forwarded chat came back: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ErrorReporter</name>
    <message>
        <source>SupportDesk: something went wrong</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The details are in the log file %1.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ErrorWords</name>
    <message numerus="yes">
        <source>%Ln more error(s) happened since; see the log file.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ForwardDialog</name>
    <message>
        <source>Forward chat</source>
        <extracomment>The chat was forwarded: the new chat snapshot and the department&apos;s name.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Forward the chat to a department with colleagues online. If nobody takes it within 1.5 minutes it comes back.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Comment for the colleague (optional)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What the chat is about, what was tried…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Forward</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The departments could not be loaded: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The chat was not forwarded: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <source>Sign in to SupportDesk</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sign in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Leave empty for the built-in demo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The address of your SupportDesk server, e.g. https://desk.example.com</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keep me signed in on this computer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The sign-in token is kept in the system keyring, never in a file.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Server:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Username:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Password:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not needed for the demo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start the demo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server address is not valid; it must look like %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter your username.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter your password.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Signing in failed because of an error in SupportDesk. The details are in the log file; please try again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Signing in…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>SupportDesk</source>
        <extracomment>the kinds of tab the window opens (ui/tabs/contract.py), each built from its key The person chose &quot;Log out&quot; in the user menu. The person chose &quot;Quit&quot; (or closed the window; the app decides about the tray). The change log button was clicked (the window opens the change log tab itself). The connection status light was clicked (the window opens the network panel itself). A chat was taken by this agent (its tab is open). The number of chats waiting that this agent may take (0 while offline). For the tray. A chat newly entered the list of chats (the Chat snapshot). For notifications and sound. A visitor message arrived for one of my chats that is not on screen: (Chat, ChatMessage). (ticket id, TicketPost) a client posted on a ticket of mine / my departments, its tab not on screen This agent went online (True) or offline (False).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The list of chats could not be loaded: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This chat has ended.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A colleague is answering this chat.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your open chats could not be loaded: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Online</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Offline</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>You are online: new chats can be assigned to you.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>You are offline: your chats went back to the list of chats.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MessageDelegate</name>
    <message>
        <source>%1 · %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not sent — click to retry</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>NetworkPanel</name>
    <message>
        <source>Network requests</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Filter by path, status, error…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Failed only</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Clear</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove every row from the list</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%Ln request(s) (the last %1 are kept)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%2 of %Ln request(s) shown (the last %1 are kept)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
</context>
<context>
    <name>NotificationLogModel</name>
    <message>
        <source>Time</source>
        <extracomment>The kinds of notification, in the order the kind filter lists them.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kind</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Title</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Text</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New chat</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Forwarded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Forward returned</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ticket post</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>NotificationLogPanel</name>
    <message>
        <source>Notifications</source>
        <extracomment>The key of the activated row (&quot;chat:12&quot;, &quot;ticket:7&quot;); rows without a key emit nothing.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Search titles and texts…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All kinds</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Double-click a notification (or press Enter) to open its chat or ticket.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Notifier</name>
    <message>
        <source>Open</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>OutboxFeed</name>
    <message>
        <source>The message could not be saved on this computer (%1), so it was not sent. It is still in the message field; try again.</source>
        <extracomment>A row is new, or its state or error changed. The server stored it: (Outgoing, the server&apos;s answer: ChatMessage / TicketPost). The row is gone (discarded, or its write failed). The server refused it for good: (client_msg_id, the server&apos;s sentence). It could not be written to this computer&apos;s outbox: (client_msg_id, a sentence).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The message could not be saved on this computer (%1).</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Priority</name>
    <message>
        <source>Low</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Normal</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>High</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Urgent</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>QueueHistory</name>
    <message>
        <source>The history could not be loaded: %1</source>
        <extracomment>(chat id) the history of a chat is now in the cache.</extracomment>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>QueueModel</name>
    <message>
        <source>Department %1</source>
        <extracomment>The number of waiting chats changed (also after a reload). A reload over HTTP started (True) / finished (False). Chats that were not in the queue before: inserted by an event, or found by a reload (e.g. they came in while the desk was offline, or during the first load after sign-in). A list of Chat snapshots, in queue order.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1, %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1, %2, waiting %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Visitor</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Forwarded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Back in the list: a colleague could not answer it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Taken by a colleague</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Closed: the visitor left or a colleague ended it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Taken by %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Forwarded to %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No longer waiting</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>QueuePage</name>
    <message>
        <source>Waiting chats</source>
        <extracomment>A history tooltip was shown (tests): the plain-text source and the rich-text shell.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Waiting chats (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loading the chats waiting for you…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No chats are waiting.
A new chat shows up here the moment a visitor writes.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>QueuePopup</name>
    <message>
        <source>No chats are waiting. A new chat shows up here the moment a visitor writes.</source>
        <extracomment>The agent clicked (or pressed Enter on) a chat: take it. A history tooltip was shown (tests): the plain-text source and the rich-text shell.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Waiting chats</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>1 chat waiting — click it to take it</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%Ln chat(s) waiting — click one to take it</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Taking the chat…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>QueueView</name>
    <message>
        <source>No messages yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Visitor</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Agent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loading the history…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RecordEditDialog</name>
    <message>
        <source>No expiry</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Overwrite with mine</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Take theirs and edit again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Yes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 cannot be empty.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%1 can be at most %Ln character(s) long.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Nothing was changed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not saved: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server refused this: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A colleague has just changed this record. When you save, you will see what they changed and can choose.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A colleague changed this record while you were editing it. Compare their values with yours, then overwrite with yours or take theirs and edit again.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RepliesPopup</name>
    <message>
        <source>Search replies — ↑↓ to pick, Enter to insert</source>
        <extracomment>The chosen reply&apos;s text (placeholders not yet replaced). Where the replies are used (the ``context`` of GET /replies): &quot;chat&quot; or &quot;ticket&quot;.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The replies could not be loaded: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No reply matches.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No pre-defined replies yet: right-click a message and choose “Save as pre-defined reply…”.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RequestLogModel</name>
    <message>
        <source>Time</source>
        <extracomment>Rows were appended (after a flush), with the number appended.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kind</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Method</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Path</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Duration</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no answer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SaveReplyDialog</name>
    <message>
        <source>Save as pre-defined reply</source>
        <extracomment>The reply was saved on the server.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Title</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Text</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Placeholders: {client_name}, {agent_name}, {department}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Department:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only me</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only in chats (not offered in tickets)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save reply</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The reply was not saved: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Search</name>
    <message>
        <source>login</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>email</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>client id</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>service id</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>domain</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>payment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ticket id</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>IP address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>phone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>matched: {field} = {value}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SearchResultsTableModel</name>
    <message>
        <source>ID</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Email</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Phone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Project</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Balance</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Matched field</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Matched value</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SearchTab</name>
    <message>
        <source>Search again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Search: {query}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Searching for “{query}”…</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%Ln client(s) match “{query}”. Double-click one to open it.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>No client matches “{query}”.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ServerError</name>
    <message>
        <source>The server could not understand the request. Update SupportDesk if this keeps happening.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your session is no longer valid; please sign in again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>You are not allowed to do that: your departments or role do not permit it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server does not accept requests from this site.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>That item does not exist or is not visible to you.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server does not support this request; update SupportDesk.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A colleague has already taken this chat.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>That cannot be done in the item&apos;s current state; reload it and try again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A colleague changed this meanwhile; reload it and make your change again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>That is too large to send.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server did not accept the data; check the fields and try again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Too many attempts; please wait a moment and try again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server&apos;s database is busy; nothing was saved. Try again in a moment.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server cannot read or write its database; nothing was saved. Tell your administrator.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server&apos;s disk is full; nothing was saved. Tell your administrator.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server failed to handle the request; try again, and tell your administrator if it keeps happening.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The request failed; try again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot reach the server; check the network connection. SupportDesk keeps trying.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The connection to the server was closed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server&apos;s answer could not be read: is the server address right and the server up to date?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This server does not offer that.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Wrong username or password.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Too many attempts; try again in %1 s.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>Settings</source>
        <extracomment>The edits were written to the preferences (Apply or OK).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>General</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keyboard shortcuts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New chat waiting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chat forwarded to me</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Forward returned</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Errors (connection lost)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chime</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bell</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ping</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Notifications</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Event</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Desktop message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sound</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Which sound</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Desktop message: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sound: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no sound</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New chats share one desktop message that updates as more arrive. While you are away from the desk (its window hidden, minimised or not in front) chat messages stay on screen until you close them; otherwise they disappear after a few seconds.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Never</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Repeat the new-chat sound every</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> %</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sound volume</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Closing the window keeps SupportDesk running in the tray</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start minimised to the tray</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Writing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter (Shift+Enter adds a line)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ctrl+Enter (Enter adds a line)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Send a chat message with</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Send a ticket reply or note with</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Appearance</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Theme</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Same as the system</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Light</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dark</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Language</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A new language applies at once. The theme is saved now and takes effect in a later version of SupportDesk.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ShortcutsPage</name>
    <message>
        <source>Click a shortcut and press the new keys. Every command keeps keys of its own; the × in the field leaves it without one.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Command</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shortcut</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shortcut: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Default</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Back to %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no shortcut</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>also %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 belongs to the text boxes (typing, editing or sending). Use another combination with Ctrl, Alt or Meta, or a function key.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Status</name>
    <message>
        <source>Active</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Suspended</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Closed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pending</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Deleted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Paid</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Refunded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>In progress</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Waiting for client</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>TicketForm</name>
    <message>
        <source>Client #{id}</source>
        <extracomment>chosen once the departments arrive (a ticket from a chat: the chat&apos;s department)</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What the ticket is about</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The first message, which the client sees</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Create ticket</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Client</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Subject</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Department</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Priority</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Write a subject.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose a department.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Write the first message.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>The message is too long (%Ln character(s); at most %1).</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Creating…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ticket #{id} created.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>TicketFormDialog</name>
    <message>
        <source>New ticket</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>TicketPostsModel</name>
    <message>
        <source>Post</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sending…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not sent: {error} — right-click to retry</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>TicketTab</name>
    <message>
        <source>Client</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reply</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Internal note</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Try again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Priority</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Department</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Assignee</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ticket</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Send reply</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reply to the client</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add note</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Internal note: only agents see it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A reply is sent to the client; an internal note is seen by agents only</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ticket #{id}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>#{id} {subject}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{name} (me)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Agent #{id}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>#{id}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unassigned</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open client #{id}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not saved: a colleague changed this ticket meanwhile ({what}). It now shows their values; change it again if you still want to.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not saved: {error}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saved.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>priority</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>department</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>assignee</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{field}: {old} → {new}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{field}: {new}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{field} changed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no visible change</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>TicketsTab</name>
    <message>
        <source>My tickets</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>My departments&apos; tickets</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All tickets I can see</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Any status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Any priority</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Client</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Double-click a ticket to open it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Show</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>S&amp;tatus</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Priority</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tickets</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%Ln ticket(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
</context>
<context>
    <name>TopBar</name>
    <message>
        <source>Top bar</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not signed in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Agent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Department head</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Administrator</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Online</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Offline</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>User menu of %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>TrayIcon</name>
    <message>
        <source>Show SupportDesk</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Online</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reconnecting…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connection failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Disconnected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SupportDesk — %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%Ln chat(s) waiting</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>No chats waiting</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>UnreadWords</name>
    <message numerus="yes">
        <source>%1 — %Ln new message(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
</context>
<context>
    <name>VisitorInfo</name>
    <message>
        <source>Visitor</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>IP address</source>
        <extracomment>key -&gt; value label (&quot;ip&quot;, &quot;page&quot;, &quot;referrer&quot;, &quot;agent&quot;, &quot;language&quot;, &quot;local&quot;, &quot;started&quot;)</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Page now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Came from</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Browser</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Language</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Local time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chat started</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>WaitingCounter</name>
    <message>
        <source>No chats waiting</source>
        <extracomment>The number of chats waiting that this agent may take (0 while offline).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>1 chat waiting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 chats waiting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> — click to see the list</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(%1) SupportDesk</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SupportDesk</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>WorkspaceTabs</name>
    <message>
        <source>%1 (earlier chat)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Earlier chat with %1 (read-only)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Client: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>#%2 %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ticket #%2: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Search: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chat with %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(%2) %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
