<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="en">
<context>
    <name>ChatDetailsEditor</name>
    <message numerus="yes">
        <source>The summary is too long (%Ln characters; at most %1).</source>
        <translation>
            <numerusform>The summary is too long (%Ln character; at most %1).</numerusform>
            <numerusform>The summary is too long (%Ln characters; at most %1).</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ComposeBox</name>
    <message numerus="yes">
        <source>The text is too long: at most %Ln characters fit in one message, this one has %1. Shorten it or split it in two.</source>
        <translation>
            <numerusform>The text is too long: at most %Ln character fits in one message, this one has %1. Shorten it or split it in two.</numerusform>
            <numerusform>The text is too long: at most %Ln characters fit in one message, this one has %1. Shorten it or split it in two.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>DepartmentModel</name>
    <message numerus="yes">
        <source>%1 — %Ln online</source>
        <translation>
            <numerusform>%1 — %Ln online</numerusform>
            <numerusform>%1 — %Ln online</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>DesktopIntegration</name>
    <message numerus="yes">
        <source>and %Ln more</source>
        <translation>
            <numerusform>and %Ln more</numerusform>
            <numerusform>and %Ln more</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n chats are waiting</source>
        <translation>
            <numerusform>%n chat is waiting</numerusform>
            <numerusform>%n chats are waiting</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ErrorWords</name>
    <message numerus="yes">
        <source>%Ln more error(s) happened since; see the log file.</source>
        <translation>
            <numerusform>%Ln more error happened since; see the log file.</numerusform>
            <numerusform>%Ln more errors happened since; see the log file.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>NetworkPanel</name>
    <message numerus="yes">
        <source>%Ln request(s) (the last %1 are kept)</source>
        <translation>
            <numerusform>%Ln request (the last %1 are kept)</numerusform>
            <numerusform>%Ln requests (the last %1 are kept)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%2 of %Ln request(s) shown (the last %1 are kept)</source>
        <translation>
            <numerusform>%2 of %Ln request shown (the last %1 are kept)</numerusform>
            <numerusform>%2 of %Ln requests shown (the last %1 are kept)</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>QueuePopup</name>
    <message numerus="yes">
        <source>%Ln chat(s) waiting — click one to take it</source>
        <translation>
            <numerusform>%Ln chat waiting — click it to take it</numerusform>
            <numerusform>%Ln chats waiting — click one to take it</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>RecordEditDialog</name>
    <message numerus="yes">
        <source>%1 can be at most %Ln character(s) long.</source>
        <translation>
            <numerusform>%1 can be at most %Ln character long.</numerusform>
            <numerusform>%1 can be at most %Ln characters long.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SearchTab</name>
    <message numerus="yes">
        <source>%Ln client(s) match “{query}”. Double-click one to open it.</source>
        <translation>
            <numerusform>%Ln client matches “{query}”. Double-click to open it.</numerusform>
            <numerusform>%Ln clients match “{query}”. Double-click one to open it.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>TicketForm</name>
    <message numerus="yes">
        <source>The message is too long (%Ln character(s); at most %1).</source>
        <translation>
            <numerusform>The message is too long (%Ln character; at most %1).</numerusform>
            <numerusform>The message is too long (%Ln characters; at most %1).</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>TicketsTab</name>
    <message numerus="yes">
        <source>%Ln ticket(s)</source>
        <translation>
            <numerusform>%Ln ticket</numerusform>
            <numerusform>%Ln tickets</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>TrayIcon</name>
    <message numerus="yes">
        <source>%Ln chat(s) waiting</source>
        <translation>
            <numerusform>%Ln chat waiting</numerusform>
            <numerusform>%Ln chats waiting</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>UnreadWords</name>
    <message numerus="yes">
        <source>%1 — %Ln new message(s)</source>
        <translation>
            <numerusform>%1 — %Ln new message</numerusform>
            <numerusform>%1 — %Ln new messages</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>WaitingCounter</name>
    <message numerus="yes">
        <source>%Ln chat(s) waiting</source>
        <translation>
            <numerusform>%Ln chat waiting</numerusform>
            <numerusform>%Ln chats waiting</numerusform>
        </translation>
    </message>
</context>
</TS>
