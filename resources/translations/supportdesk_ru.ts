<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ru" sourcelanguage="en">
<context>
    <name>ActionRegistry</name>
    <message>
        <source>%1 is already the shortcut of “%2”. Choose another key, or change that command&apos;s shortcut first.</source>
        <extracomment>Shortcuts changed (an override was applied): the shortcut sheet redraws.</extracomment>
        <translation>%1 уже назначено команде «%2». Выберите другое сочетание или сначала измените сочетание той команды.</translation>
    </message>
</context>
<context>
    <name>AgentView</name>
    <message>
        <source>Online</source>
        <extracomment>painted again (the agent, the status or the session changed)</extracomment>
        <translation>В сети</translation>
    </message>
    <message>
        <source>Offline</source>
        <translation>Не в сети</translation>
    </message>
    <message>
        <source>You are online: new chats can be assigned to you.</source>
        <translation>Вы в сети: вам могут назначать новые чаты.</translation>
    </message>
    <message>
        <source>You are offline: your chats went back to the list of chats.</source>
        <translation>Вы не в сети: ваши чаты вернулись в очередь.</translation>
    </message>
</context>
<context>
    <name>ChangelogButton</name>
    <message>
        <source>What&apos;s new in SupportDesk (new release notes)</source>
        <translation>Что нового в SupportDesk (есть новые заметки о выпуске)</translation>
    </message>
    <message>
        <source>What&apos;s new in SupportDesk</source>
        <translation>Что нового в SupportDesk</translation>
    </message>
</context>
<context>
    <name>ChangelogTab</name>
    <message>
        <source>What&apos;s new</source>
        <translation>Что нового</translation>
    </message>
</context>
<context>
    <name>ChangelogView</name>
    <message>
        <source>The release notes are not included in this build.</source>
        <translation>В эту сборку не вошли заметки о выпуске.</translation>
    </message>
    <message>
        <source>From your server</source>
        <translation>С вашего сервера</translation>
    </message>
</context>
<context>
    <name>ChatClientSection</name>
    <message>
        <source>Open client area</source>
        <extracomment>The client-area link was opened (its URL). The keyboard focus belongs in the composer again (see the module docstring).</extracomment>
        <translation>Открыть личный кабинет</translation>
    </message>
    <message>
        <source>Open the client&apos;s area in the browser, logged in as the client (a one-time link)</source>
        <translation>Открыть личный кабинет клиента в браузере от имени клиента (одноразовая ссылка)</translation>
    </message>
    <message>
        <source>Ask to log in</source>
        <translation>Попросить войти</translation>
    </message>
    <message>
        <source>Show the visitor the login form of the client area</source>
        <translation>Показать посетителю форму входа в личный кабинет</translation>
    </message>
    <message>
        <source>Register a new client</source>
        <translation>Зарегистрировать клиента</translation>
    </message>
    <message>
        <source>Show the visitor the registration form: a new client in this chat&apos;s department</source>
        <translation>Показать посетителю форму регистрации: новый клиент в отделе этого чата</translation>
    </message>
    <message>
        <source>Ask to authorize</source>
        <translation>Попросить подтвердить личность</translation>
    </message>
    <message>
        <source>Ask the visitor to confirm who they are by logging in (they may decline)</source>
        <translation>Попросить посетителя подтвердить личность входом в личный кабинет (он может отказаться)</translation>
    </message>
    <message>
        <source>Copy link</source>
        <translation>Копировать ссылку</translation>
    </message>
    <message>
        <source>Put the client-area link on the clipboard, to paste it into a browser (it works once)</source>
        <translation>Скопировать ссылку на личный кабинет в буфер обмена, чтобы вставить её в браузер (она срабатывает один раз)</translation>
    </message>
    <message>
        <source>Client %1</source>
        <translation>Клиент %1</translation>
    </message>
    <message>
        <source>Project: %1</source>
        <translation>Проект: %1</translation>
    </message>
    <message>
        <source>No project name</source>
        <translation>Без названия проекта</translation>
    </message>
    <message>
        <source>The visitor logged in.</source>
        <translation>Посетитель вошёл в личный кабинет.</translation>
    </message>
    <message>
        <source>Not logged in</source>
        <translation>Не вошёл</translation>
    </message>
    <message>
        <source>The visitor has not logged in to the client area in this chat.</source>
        <translation>В этом чате посетитель не входил в личный кабинет.</translation>
    </message>
    <message>
        <source>The visitor was not asked: %1</source>
        <translation>Запрос посетителю не отправлен: %1</translation>
    </message>
    <message>
        <source>The visitor sees the login form now.</source>
        <translation>Посетитель видит форму входа.</translation>
    </message>
    <message>
        <source>The visitor was asked to confirm who they are (they may log in or decline).</source>
        <translation>Посетителя попросили подтвердить личность (он может войти или отказаться).</translation>
    </message>
    <message>
        <source>The visitor sees the registration form now.</source>
        <translation>Посетитель видит форму регистрации.</translation>
    </message>
    <message>
        <source>Opening the client area…</source>
        <translation>Открываем личный кабинет…</translation>
    </message>
    <message>
        <source>The client area could not be opened: %1</source>
        <translation>Не удалось открыть личный кабинет: %1</translation>
    </message>
    <message>
        <source>No web browser could be started to open the client area. Copy the link and paste it into a browser: it works once, for a minute.</source>
        <translation>Не удалось запустить браузер, чтобы открыть личный кабинет. Скопируйте ссылку и вставьте её в браузер: она срабатывает один раз в течение минуты.</translation>
    </message>
    <message>
        <source>The client area was handed to your web browser (the link works once).</source>
        <translation>Личный кабинет открыт в вашем браузере (ссылка срабатывает один раз).</translation>
    </message>
    <message>
        <source>The link is on the clipboard: paste it into your browser&apos;s address bar (it works once, for a minute).</source>
        <translation>Ссылка в буфере обмена: вставьте её в адресную строку браузера (она срабатывает один раз в течение минуты).</translation>
    </message>
</context>
<context>
    <name>ChatDetailsEditor</name>
    <message>
        <source>Chat name</source>
        <extracomment>seed item 9: a ticket was created from this chat (the window opens it) A panel action is done (or a focused panel button goes away): the keyboard focus belongs in the composer again (the chat tab moves it there unless the agent chose another field).</extracomment>
        <translation>Название чата</translation>
    </message>
    <message>
        <source>What the chat is about</source>
        <translation>О чём этот чат</translation>
    </message>
    <message>
        <source>Colleagues see the name in the list of chats</source>
        <translation>Коллеги видят название в списке чатов</translation>
    </message>
    <message>
        <source>Summary</source>
        <translation>Кратко</translation>
    </message>
    <message>
        <source>Shown with the name when the chat is forwarded</source>
        <translation>Показывается вместе с названием, когда чат передают</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Сохранить</translation>
    </message>
    <message>
        <source>Create ticket…</source>
        <translation>Создать тикет…</translation>
    </message>
    <message>
        <source>A ticket for this client, with the chat&apos;s transcript as its first message</source>
        <translation>Тикет для этого клиента; первое сообщение — переписка из чата</translation>
    </message>
    <message numerus="yes">
        <source>The summary is too long (%Ln characters; at most %1).</source>
        <translation>
            <numerusform>Описание слишком длинное (%Ln символ; не более %1).</numerusform>
            <numerusform>Описание слишком длинное (%Ln символа; не более %1).</numerusform>
            <numerusform>Описание слишком длинное (%Ln символов; не более %1).</numerusform>
        </translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>Сохраняем…</translation>
    </message>
    <message>
        <source>Not saved: %1</source>
        <translation>Не сохранено: %1</translation>
    </message>
    <message>
        <source>Saved</source>
        <translation>Сохранено</translation>
    </message>
    <message>
        <source>The transcript could not be loaded: %1</source>
        <translation>Не удалось загрузить переписку: %1</translation>
    </message>
    <message>
        <source>Chat with %1</source>
        <translation>Чат: %1</translation>
    </message>
    <message>
        <source>Visitor</source>
        <translation>Посетитель</translation>
    </message>
    <message>
        <source>Agent</source>
        <translation>Оператор</translation>
    </message>
    <message>
        <source>[%1] %2: %3</source>
        <translation>[%1] %2: %3</translation>
    </message>
    <message>
        <source>[%1] %2</source>
        <translation>[%1] %2</translation>
    </message>
</context>
<context>
    <name>ChatEventLine</name>
    <message>
        <source>department %1</source>
        <translation>отдел %1</translation>
    </message>
    <message>
        <source>another department</source>
        <translation>другой отдел</translation>
    </message>
    <message>
        <source>%1 joined</source>
        <translation>%1 в чате</translation>
    </message>
    <message>
        <source>An agent joined</source>
        <translation>Оператор в чате</translation>
    </message>
    <message>
        <source>%1 went offline: the chat is waiting again</source>
        <translation>%1 — не в сети: чат снова ждёт ответа</translation>
    </message>
    <message>
        <source>The agent went offline: the chat is waiting again</source>
        <translation>Оператор не в сети: чат снова ждёт ответа</translation>
    </message>
    <message>
        <source>%1 left: the chat is waiting again</source>
        <translation>%1 покидает чат: чат снова ждёт ответа</translation>
    </message>
    <message>
        <source>The chat is waiting again</source>
        <translation>Чат снова ждёт ответа</translation>
    </message>
    <message>
        <source>Forwarded to %1 by %2</source>
        <translation>Чат передан: %1 (передаёт %2)</translation>
    </message>
    <message>
        <source>Forwarded to %1</source>
        <translation>Чат передан: %1</translation>
    </message>
    <message>
        <source>%1: “%2”</source>
        <translation>%1: «%2»</translation>
    </message>
    <message>
        <source>Returned to %1: nobody took it</source>
        <translation>Чат вернулся: %1 — никто не взял</translation>
    </message>
    <message>
        <source>Closed by the visitor</source>
        <translation>Посетитель завершил чат</translation>
    </message>
    <message>
        <source>Closed by %1</source>
        <translation>Чат завершён (%1)</translation>
    </message>
    <message>
        <source>Closed</source>
        <translation>Завершён</translation>
    </message>
</context>
<context>
    <name>ChatHistoryList</name>
    <message>
        <source>Earlier chats of this visitor or client</source>
        <extracomment>The agent wants to read an earlier chat (its snapshot).</extracomment>
        <translation>Прошлые чаты этого посетителя или клиента</translation>
    </message>
    <message>
        <source>Double-click to read the chat</source>
        <translation>Дважды щёлкните, чтобы прочитать чат</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>Загрузка…</translation>
    </message>
    <message>
        <source>No earlier chats.</source>
        <translation>Прошлых чатов нет.</translation>
    </message>
    <message>
        <source>The earlier chats could not be loaded: %1</source>
        <translation>Не удалось загрузить прошлые чаты: %1</translation>
    </message>
</context>
<context>
    <name>ChatHistoryModel</name>
    <message>
        <source>(no messages)</source>
        <extracomment>The first page arrived (row count may be 0). Loading failed: a sentence.</extracomment>
        <translation>(нет сообщений)</translation>
    </message>
    <message>
        <source>open</source>
        <translation>открыт</translation>
    </message>
    <message>
        <source>waiting</source>
        <translation>ожидает</translation>
    </message>
    <message>
        <source>From the same browser</source>
        <translation>Из того же браузера</translation>
    </message>
    <message>
        <source>The same client was logged in</source>
        <translation>Входил тот же клиент</translation>
    </message>
    <message>
        <source>Same browser, same client</source>
        <translation>Тот же браузер и тот же клиент</translation>
    </message>
</context>
<context>
    <name>ChatHistoryTab</name>
    <message>
        <source>waiting</source>
        <translation>ожидает</translation>
    </message>
    <message>
        <source>open</source>
        <translation>открыт</translation>
    </message>
    <message>
        <source>closed</source>
        <translation>завершён</translation>
    </message>
    <message>
        <source>Chat of %1 (%2) · read-only</source>
        <translation>Чат: %1 (%2) · только чтение</translation>
    </message>
    <message>
        <source>Visitor</source>
        <translation>Посетитель</translation>
    </message>
    <message>
        <source>%1 (earlier chat)</source>
        <translation>%1 (прошлый чат)</translation>
    </message>
    <message>
        <source>The conversation could not be loaded: %1</source>
        <translation>Не удалось загрузить переписку: %1</translation>
    </message>
</context>
<context>
    <name>ChatTab</name>
    <message>
        <source>Close chat</source>
        <extracomment>The chat was closed (by anyone). Emitted once. A message from someone else arrived while this tab was not visible. The chat was forwarded to another department (chat id, department name): it left me.</extracomment>
        <translation>Завершить чат</translation>
    </message>
    <message>
        <source>End the conversation; the visitor is told</source>
        <translation>Завершить разговор; посетитель получит уведомление</translation>
    </message>
    <message>
        <source>Forward…</source>
        <translation>Передать…</translation>
    </message>
    <message>
        <source>Hand the chat to another department</source>
        <translation>Передать чат в другой отдел</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>Отправить</translation>
    </message>
    <message>
        <source>Type a reply</source>
        <translation>Введите ответ</translation>
    </message>
    <message>
        <source>Visitor</source>
        <translation>Посетитель</translation>
    </message>
    <message>
        <source>Waiting</source>
        <translation>Ожидает</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>Активен</translation>
    </message>
    <message>
        <source>Closed</source>
        <translation>Завершён</translation>
    </message>
    <message>
        <source>Department %1</source>
        <translation>Отдел %1</translation>
    </message>
    <message>
        <source>This chat is closed. The conversation stays here to read; new messages cannot be sent.</source>
        <translation>Чат завершён. Переписку можно читать, но новые сообщения отправить нельзя.</translation>
    </message>
    <message>
        <source>The chat with %1 has ended.</source>
        <translation>Чат завершён: %1.</translation>
    </message>
    <message>
        <source>%1 is typing…</source>
        <translation>%1 печатает…</translation>
    </message>
    <message>
        <source>A message was not sent: %1 Click it to try again.</source>
        <translation>Сообщение не отправлено: %1 Щёлкните по нему, чтобы повторить.</translation>
    </message>
    <message>
        <source>The chat with %1 was forwarded to %2.</source>
        <translation>Чат (%1) передан: %2.</translation>
    </message>
    <message>
        <source>Close the chat with %1? The visitor is told the chat has ended.</source>
        <translation>Завершить чат (%1)? Посетитель увидит, что чат завершён.</translation>
    </message>
    <message>
        <source>The chat could not be closed: %1</source>
        <translation>Не удалось завершить чат: %1</translation>
    </message>
</context>
<context>
    <name>ChatTaker</name>
    <message>
        <source>A colleague took the chat with %1 first.</source>
        <extracomment>A chat was taken by this agent (its tab is open).</extracomment>
        <translation>Коллега успел взять чат первым (%1).</translation>
    </message>
    <message>
        <source>The chat with %1 is no longer available.</source>
        <translation>Чат (%1) больше недоступен.</translation>
    </message>
    <message>
        <source>this visitor</source>
        <translation>посетитель</translation>
    </message>
    <message>
        <source>A colleague took this chat first</source>
        <translation>Коллега взял этот чат раньше</translation>
    </message>
    <message>
        <source>This chat is no longer available</source>
        <translation>Этот чат больше недоступен</translation>
    </message>
    <message>
        <source>You took the chat with %1</source>
        <translation>Вы взяли чат: %1</translation>
    </message>
</context>
<context>
    <name>ClientEditing</name>
    <message>
        <source>Edit name and phone…</source>
        <translation>Изменить имя и телефон…</translation>
    </message>
    <message>
        <source>This server does not let the desk change clients: the lists are read-only here.</source>
        <translation>Этот сервер не разрешает изменять клиентов: списки здесь только для чтения.</translation>
    </message>
    <message>
        <source>Add user…</source>
        <translation>Добавить пользователя…</translation>
    </message>
    <message>
        <source>Edit…</source>
        <translation>Изменить…</translation>
    </message>
    <message>
        <source>Disable</source>
        <translation>Отключить</translation>
    </message>
    <message>
        <source>Payments are read-only for you: changing them needs the right to edit payments. Ask an administrator if you need it.</source>
        <translation>Платежи доступны вам только для просмотра: чтобы изменять их, нужно право на редактирование платежей. Если оно нужно, обратитесь к администратору.</translation>
    </message>
    <message>
        <source>Delete…</source>
        <translation>Удалить…</translation>
    </message>
    <message>
        <source>Services are read-only for you: changing or deleting them needs the right to edit services. Ask an administrator if you need it.</source>
        <translation>Услуги доступны вам только для просмотра: чтобы изменять или удалять их, нужно право на редактирование услуг. Если оно нужно, обратитесь к администратору.</translation>
    </message>
    <message>
        <source>Enable</source>
        <translation>Включить</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Имя</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>Телефон</translation>
    </message>
    <message>
        <source>Client — name and phone</source>
        <translation>Клиент — имя и телефон</translation>
    </message>
    <message>
        <source>Login</source>
        <translation>Логин</translation>
    </message>
    <message>
        <source>Email</source>
        <translation>Эл. почта</translation>
    </message>
    <message>
        <source>Full name</source>
        <translation>Полное имя</translation>
    </message>
    <message>
        <source>New password</source>
        <translation>Новый пароль</translation>
    </message>
    <message>
        <source>Optional: at least 8 characters</source>
        <translation>Необязательно: не менее 8 символов</translation>
    </message>
    <message>
        <source>Leave empty to keep the current password</source>
        <translation>Оставьте пустым, чтобы сохранить текущий пароль</translation>
    </message>
    <message>
        <source>Add a login user</source>
        <translation>Добавить пользователя для входа</translation>
    </message>
    <message>
        <source>Add user</source>
        <translation>Добавить пользователя</translation>
    </message>
    <message>
        <source>Login user %1</source>
        <translation>Пользователь %1</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Статус</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>Сумма</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>Примечание</translation>
    </message>
    <message>
        <source>Payment %1</source>
        <translation>Платёж %1</translation>
    </message>
    <message>
        <source>Price</source>
        <translation>Цена</translation>
    </message>
    <message>
        <source>Expires</source>
        <translation>Действует до</translation>
    </message>
    <message>
        <source>Service %1</source>
        <translation>Услуга %1</translation>
    </message>
    <message>
        <source>Not changed: %1</source>
        <translation>Не изменено: %1</translation>
    </message>
    <message>
        <source>A colleague changed this row meanwhile; it now shows their version. Look at it and do it again if you still want to.</source>
        <translation>Коллега тем временем изменил эту строку; теперь в ней его версия. Проверьте её и повторите действие, если это ещё нужно.</translation>
    </message>
    <message>
        <source>Delete service</source>
        <translation>Удалить услугу</translation>
    </message>
    <message>
        <source>Delete the service “%1” (%2, %3)? The client loses it; this cannot be undone.</source>
        <translation>Удалить услугу «%1» (%2, %3)? Клиент её лишится; отменить это нельзя.</translation>
    </message>
    <message>
        <source>Not deleted: %1</source>
        <translation>Не удалено: %1</translation>
    </message>
    <message>
        <source>A phone number can have digits, spaces and + ( ) - . / only.</source>
        <translation>Номер телефона может содержать только цифры, пробелы и + ( ) - . /</translation>
    </message>
    <message>
        <source>This does not look like an email address (name@example.com).</source>
        <translation>Это не похоже на адрес эл. почты (name@example.com).</translation>
    </message>
    <message>
        <source>A login can have letters, digits and . _ @ + - only, without spaces.</source>
        <translation>Логин может содержать только буквы, цифры и . _ @ + - без пробелов.</translation>
    </message>
    <message>
        <source>A password needs at least 8 characters.</source>
        <translation>Пароль должен быть не короче 8 символов.</translation>
    </message>
</context>
<context>
    <name>ClientListFilters</name>
    <message>
        <source>Filter users…</source>
        <translation>Фильтр пользователей…</translation>
    </message>
    <message>
        <source>Filter payments…</source>
        <translation>Фильтр платежей…</translation>
    </message>
    <message>
        <source>Filter services…</source>
        <translation>Фильтр услуг…</translation>
    </message>
    <message>
        <source>Filter tickets…</source>
        <translation>Фильтр тикетов…</translation>
    </message>
    <message>
        <source>Filter expenses…</source>
        <translation>Фильтр расходов…</translation>
    </message>
    <message>
        <source>Filter projects…</source>
        <translation>Фильтр проектов…</translation>
    </message>
    <message>
        <source>Filter…</source>
        <translation>Фильтр…</translation>
    </message>
    <message>
        <source>No users match “{text}”.</source>
        <translation>Нет пользователей по запросу «{text}».</translation>
    </message>
    <message>
        <source>No payments match “{text}”.</source>
        <translation>Нет платежей по запросу «{text}».</translation>
    </message>
    <message>
        <source>No services match “{text}”.</source>
        <translation>Нет услуг по запросу «{text}».</translation>
    </message>
    <message>
        <source>No tickets match “{text}”.</source>
        <translation>Нет тикетов по запросу «{text}».</translation>
    </message>
    <message>
        <source>No expenses match “{text}”.</source>
        <translation>Нет расходов по запросу «{text}».</translation>
    </message>
    <message>
        <source>No projects match “{text}”.</source>
        <translation>Нет проектов по запросу «{text}».</translation>
    </message>
    <message>
        <source>Nothing matches “{text}”.</source>
        <translation>Ничего не найдено по запросу «{text}».</translation>
    </message>
    <message>
        <source>No payments with status “{status}” match “{text}”.</source>
        <translation>Нет платежей со статусом «{status}» по запросу «{text}».</translation>
    </message>
    <message>
        <source>No services with status “{status}” match “{text}”.</source>
        <translation>Нет услуг со статусом «{status}» по запросу «{text}».</translation>
    </message>
    <message>
        <source>No tickets with status “{status}” match “{text}”.</source>
        <translation>Нет тикетов со статусом «{status}» по запросу «{text}».</translation>
    </message>
    <message>
        <source>Nothing with status “{status}” matches “{text}”.</source>
        <translation>Ничего со статусом «{status}» не найдено по запросу «{text}».</translation>
    </message>
    <message>
        <source>No payments with status “{status}”.</source>
        <translation>Нет платежей со статусом «{status}».</translation>
    </message>
    <message>
        <source>No services with status “{status}”.</source>
        <translation>Нет услуг со статусом «{status}».</translation>
    </message>
    <message>
        <source>No tickets with status “{status}”.</source>
        <translation>Нет тикетов со статусом «{status}».</translation>
    </message>
    <message>
        <source>Nothing with status “{status}”.</source>
        <translation>Ничего со статусом «{status}».</translation>
    </message>
    <message>
        <source>Any status</source>
        <translation>Любой статус</translation>
    </message>
    <message>
        <source>Shows only the rows with this status (with the text, if any).</source>
        <translation>Показывает только строки с этим статусом (и с текстом фильтра, если он задан).</translation>
    </message>
    <message>
        <source>Shows only the rows containing this text in a text column (number, name, domain, status…), in any case. Esc clears it.</source>
        <translation>Показывает только строки, где этот текст есть в текстовом столбце (номер, имя, домен, статус…), без учёта регистра. Esc очищает фильтр.</translation>
    </message>
    <message>
        <source>{title} ({n}, filtered)</source>
        <translation>{title} ({n}, отфильтровано)</translation>
    </message>
    <message>
        <source>Status: {status}</source>
        <translation>Статус: {status}</translation>
    </message>
    <message>
        <source>Filtered by “{text}”</source>
        <translation>Фильтр: «{text}»</translation>
    </message>
</context>
<context>
    <name>ClientSearchBar</name>
    <message>
        <source>Search clients: login, email, id, domain, payment, IP, phone…</source>
        <translation>Поиск клиентов: логин, почта, ID, домен, платёж, IP, телефон…</translation>
    </message>
    <message>
        <source>Find a client by login, email, client id, service id, domain, payment number, ticket id, IP address, phone or name. Enter opens every result in a tab.</source>
        <translation>Найти клиента по логину, эл. почте, ID клиента, ID услуги, домену, номеру платежа, номеру тикета, IP-адресу, телефону или имени. Enter открывает все результаты во вкладке.</translation>
    </message>
    <message>
        <source>No client matches “{query}”.</source>
        <translation>По запросу «{query}» клиентов не найдено.</translation>
    </message>
</context>
<context>
    <name>ClientTab</name>
    <message>
        <source>Try again</source>
        <translation>Повторить</translation>
    </message>
    <message>
        <source>Email</source>
        <translation>Эл. почта</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>Телефон</translation>
    </message>
    <message>
        <source>Project</source>
        <translation>Проект</translation>
    </message>
    <message>
        <source>Client ID</source>
        <translation>ID клиента</translation>
    </message>
    <message>
        <source>Balance</source>
        <translation>Баланс</translation>
    </message>
    <message>
        <source>Users</source>
        <translation>Пользователи</translation>
    </message>
    <message>
        <source>Payments</source>
        <translation>Платежи</translation>
    </message>
    <message>
        <source>Services</source>
        <translation>Услуги</translation>
    </message>
    <message>
        <source>Tickets</source>
        <translation>Тикеты</translation>
    </message>
    <message>
        <source>Expenses</source>
        <translation>Расходы</translation>
    </message>
    <message>
        <source>Projects</source>
        <translation>Проекты</translation>
    </message>
    <message>
        <source>Double-click a ticket to open it.</source>
        <translation>Дважды щёлкните по тикету, чтобы открыть его.</translation>
    </message>
    <message>
        <source>Client #{id}</source>
        <translation>Клиент №{id}</translation>
    </message>
    <message>
        <source>{title} ({n})</source>
        <translation>{title} ({n})</translation>
    </message>
    <message>
        <source>Yes</source>
        <translation>Да</translation>
    </message>
    <message>
        <source>No</source>
        <translation>Нет</translation>
    </message>
    <message>
        <source>ID</source>
        <translation>ID</translation>
    </message>
    <message>
        <source>Login</source>
        <translation>Логин</translation>
    </message>
    <message>
        <source>Full name</source>
        <translation>Полное имя</translation>
    </message>
    <message>
        <source>Enabled</source>
        <translation>Включён</translation>
    </message>
    <message>
        <source>Number</source>
        <translation>Номер</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>Создан</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>Сумма</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Статус</translation>
    </message>
    <message>
        <source>Method</source>
        <translation>Способ</translation>
    </message>
    <message>
        <source>Paid</source>
        <translation>Оплачен</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>Примечание</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Название</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>Тип</translation>
    </message>
    <message>
        <source>Domain</source>
        <translation>Домен</translation>
    </message>
    <message>
        <source>IP address</source>
        <translation>IP-адрес</translation>
    </message>
    <message>
        <source>Price</source>
        <translation>Цена</translation>
    </message>
    <message>
        <source>Expires</source>
        <translation>Действует до</translation>
    </message>
    <message>
        <source>Subject</source>
        <translation>Тема</translation>
    </message>
    <message>
        <source>Priority</source>
        <translation>Приоритет</translation>
    </message>
    <message>
        <source>Updated</source>
        <translation>Обновлён</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>Дата</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>Описание</translation>
    </message>
</context>
<context>
    <name>ClientTicketsSection</name>
    <message>
        <source>New ticket</source>
        <translation>Новый тикет</translation>
    </message>
    <message>
        <source>Double-click a ticket to open it; click its priority to change it.</source>
        <translation>Дважды щёлкните по тикету, чтобы открыть его; щёлкните по приоритету, чтобы изменить его.</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>Сохраняем…</translation>
    </message>
    <message>
        <source>Not saved: a colleague changed ticket #{id} meanwhile (priority now {priority}, status {status}). Change it again if you still want to.</source>
        <translation>Не сохранено: коллега тем временем изменил тикет №{id} (теперь приоритет {priority}, статус {status}). Измените его ещё раз, если это ещё нужно.</translation>
    </message>
    <message>
        <source>Not saved: {error}</source>
        <translation>Не сохранено: {error}</translation>
    </message>
    <message>
        <source>Ticket #{id}: priority {priority}.</source>
        <translation>Тикет №{id}: приоритет {priority}.</translation>
    </message>
</context>
<context>
    <name>CommandPalette</name>
    <message>
        <source>Command palette</source>
        <extracomment>An entry ran (its key: &quot;command:tab.close&quot;, &quot;tab:client:7&quot;, &quot;chat:12&quot;, &quot;client:7&quot;, …). The clients found for the text typed arrived (how many).</extracomment>
        <translation>Палитра команд</translation>
    </message>
    <message>
        <source>Type a command, a tab, a visitor&apos;s name or a client…</source>
        <translation>Введите команду, вкладку, имя посетителя или клиента…</translation>
    </message>
    <message>
        <source>Command palette search</source>
        <translation>Поиск в палитре команд</translation>
    </message>
    <message>
        <source>Commands, tabs, chats and clients</source>
        <translation>Команды, вкладки, чаты и клиенты</translation>
    </message>
    <message>
        <source>Clients could not be searched: %1</source>
        <translation>Не удалось найти клиентов: %1</translation>
    </message>
    <message>
        <source>Help</source>
        <translation>Справка</translation>
    </message>
    <message>
        <source>Command &amp;palette…</source>
        <translation>&amp;Палитра команд…</translation>
    </message>
    <message>
        <source>Run a command, go to a tab, take a chat or find a client by typing</source>
        <translation>Выполнить команду, перейти на вкладку, взять чат или найти клиента, набрав текст</translation>
    </message>
    <message>
        <source>&amp;Keyboard shortcuts</source>
        <translation>&amp;Сочетания клавиш</translation>
    </message>
    <message>
        <source>Command</source>
        <translation>Команда</translation>
    </message>
    <message>
        <source>Tab</source>
        <translation>Вкладка</translation>
    </message>
    <message>
        <source>Waiting chat</source>
        <translation>Ожидающий чат</translation>
    </message>
    <message>
        <source>Client</source>
        <translation>Клиент</translation>
    </message>
    <message>
        <source>Search</source>
        <translation>Поиск</translation>
    </message>
    <message>
        <source>open tab</source>
        <extracomment>the palette&apos;s own command is not listed in it</extracomment>
        <translation>открытая вкладка</translation>
    </message>
    <message>
        <source>Visitor</source>
        <translation>Посетитель</translation>
    </message>
    <message>
        <source>waiting · %1</source>
        <translation>ожидает · %1</translation>
    </message>
    <message>
        <source>Search clients for “%1”</source>
        <translation>Искать клиентов по «%1»</translation>
    </message>
</context>
<context>
    <name>ComposeBox</name>
    <message>
        <source>Replies…</source>
        <extracomment>A message is on disk in the outbox (client_msg_id); the field was cleared. The server refused a message for good: (client_msg_id, its sentence). A message could not be written on this computer: (client_msg_id, a sentence). A sentence for the tab&apos;s notice line (&quot;Saved as pre-defined reply …&quot;).</extracomment>
        <translation>Шаблоны…</translation>
    </message>
    <message>
        <source>Insert a pre-defined reply (or type / in an empty box)</source>
        <translation>Вставить шаблон ответа (или введите / в пустом поле)</translation>
    </message>
    <message>
        <source>Ctrl+Enter sends, Enter adds a line</source>
        <translation>Ctrl+Enter — отправить, Enter — новая строка</translation>
    </message>
    <message>
        <source>Ctrl+Enter</source>
        <translation>Ctrl+Enter</translation>
    </message>
    <message>
        <source>Enter sends, Shift+Enter adds a line</source>
        <translation>Enter — отправить, Shift+Enter — новая строка</translation>
    </message>
    <message>
        <source>Enter</source>
        <translation>Enter</translation>
    </message>
    <message>
        <source>%1 — %2</source>
        <translation>%1 — %2</translation>
    </message>
    <message numerus="yes">
        <source>The text is too long: at most %Ln characters fit in one message, this one has %1. Shorten it or split it in two.</source>
        <translation>
            <numerusform>Текст слишком длинный: в одно сообщение помещается не более %Ln символа, а в этом %1. Сократите его или разбейте на два.</numerusform>
            <numerusform>Текст слишком длинный: в одно сообщение помещается не более %Ln символов, а в этом %1. Сократите его или разбейте на два.</numerusform>
            <numerusform>Текст слишком длинный: в одно сообщение помещается не более %Ln символов, а в этом %1. Сократите его или разбейте на два.</numerusform>
        </translation>
    </message>
    <message>
        <source>Write something first.</source>
        <translation>Сначала напишите что-нибудь.</translation>
    </message>
    <message>
        <source>Not sent: you are not signed in. Sign in and send it again.</source>
        <translation>Не отправлено: вы не вошли в систему. Войдите и отправьте ещё раз.</translation>
    </message>
    <message>
        <source>Saved as pre-defined reply “%1”.</source>
        <translation>Сохранено как шаблон ответа «%1».</translation>
    </message>
    <message>
        <source>Copy text</source>
        <translation>Копировать текст</translation>
    </message>
    <message>
        <source>Save as pre-defined reply…</source>
        <translation>Сохранить как шаблон ответа…</translation>
    </message>
    <message>
        <source>Retry sending</source>
        <translation>Отправить ещё раз</translation>
    </message>
    <message>
        <source>Discard</source>
        <translation>Удалить</translation>
    </message>
</context>
<context>
    <name>ConflictModel</name>
    <message>
        <source>Field</source>
        <translation>Поле</translation>
    </message>
    <message>
        <source>Their value</source>
        <translation>Значение коллеги</translation>
    </message>
    <message>
        <source>Your value</source>
        <translation>Ваше значение</translation>
    </message>
</context>
<context>
    <name>ConnectionLight</name>
    <message>
        <source>Connected</source>
        <translation>Подключено</translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>Подключение…</translation>
    </message>
    <message>
        <source>Connection failed</source>
        <translation>Нет подключения</translation>
    </message>
    <message>
        <source>Offline</source>
        <translation>Не в сети</translation>
    </message>
    <message>
        <source>Reconnecting…</source>
        <translation>Переподключение…</translation>
    </message>
    <message>
        <source>Since %1</source>
        <translation>С %1</translation>
    </message>
    <message>
        <source>Last error (%2): %1</source>
        <translation>Последняя ошибка (%2): %1</translation>
    </message>
    <message>
        <source>Click to see the network requests.</source>
        <translation>Щёлкните, чтобы увидеть сетевые запросы.</translation>
    </message>
    <message>
        <source>Connection: %1</source>
        <translation>Подключение: %1</translation>
    </message>
</context>
<context>
    <name>DepartmentModel</name>
    <message>
        <source>%1 — nobody online</source>
        <translation>%1 — никого в сети</translation>
    </message>
    <message numerus="yes">
        <source>%1 — %Ln online</source>
        <translation>
            <numerusform>%1 — в сети %Ln</numerusform>
            <numerusform>%1 — в сети %Ln</numerusform>
            <numerusform>%1 — в сети %Ln</numerusform>
        </translation>
    </message>
    <message>
        <source>Nobody is online in this department: a chat cannot be forwarded there</source>
        <translation>В этом отделе никого нет в сети: передать туда чат нельзя</translation>
    </message>
</context>
<context>
    <name>Desk</name>
    <message>
        <source>Starting the built-in demo server…</source>
        <translation>Запускаем встроенный демо-сервер…</translation>
    </message>
    <message>
        <source>built-in demo</source>
        <translation>встроенное демо</translation>
    </message>
    <message>
        <source>The server ended your session; please sign in again.</source>
        <translation>Сервер завершил ваш сеанс; войдите снова.</translation>
    </message>
    <message>
        <source>A background operation (%1) failed unexpectedly. SupportDesk keeps running; if something looks wrong, restart it.</source>
        <translation>Фоновая операция (%1) неожиданно завершилась с ошибкой. SupportDesk продолжает работать; если что-то работает не так, перезапустите его.</translation>
    </message>
    <message>
        <source>An unexpected error happened in SupportDesk. Your work is not lost; if something looks wrong, restart the app.</source>
        <translation>В SupportDesk произошла непредвиденная ошибка. Ваша работа не потеряна; если что-то работает не так, перезапустите приложение.</translation>
    </message>
</context>
<context>
    <name>DeskActions</name>
    <message>
        <source>Chats</source>
        <extracomment>The user menu, in order (None: a separator). The header line above it is the top bar&apos;s. The tray icon&apos;s menu (``ui/desktop.py``): the same commands as the user menu, so the same texts, check marks and enabled states.</extracomment>
        <translation>Чаты</translation>
    </message>
    <message>
        <source>&amp;Take the oldest waiting chat</source>
        <translation>&amp;Взять самый давний чат из очереди</translation>
    </message>
    <message>
        <source>&amp;Forward the chat…</source>
        <translation>&amp;Передать чат…</translation>
    </message>
    <message>
        <source>Hand the chat in front to another department</source>
        <translation>Передать открытый чат в другой отдел</translation>
    </message>
    <message>
        <source>&amp;End the chat…</source>
        <translation>&amp;Завершить чат…</translation>
    </message>
    <message>
        <source>End the conversation in front (asks first; the visitor is told)</source>
        <translation>Завершить открытый разговор (с подтверждением; посетитель получит уведомление)</translation>
    </message>
    <message>
        <source>Insert a pre-defined &amp;reply…</source>
        <translation>Вставить &amp;шаблон ответа…</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Статус</translation>
    </message>
    <message>
        <source>&amp;Online — take new chats</source>
        <translation>В &amp;сети — принимать новые чаты</translation>
    </message>
    <message>
        <source>O&amp;ffline — my chats go back to the list</source>
        <translation>&amp;Не в сети — мои чаты вернутся в очередь</translation>
    </message>
    <message>
        <source>Tabs</source>
        <translation>Вкладки</translation>
    </message>
    <message>
        <source>&amp;Waiting chats tab</source>
        <translation>Вкладка &amp;очереди чатов</translation>
    </message>
    <message>
        <source>List of waiting chats</source>
        <translation>Очередь чатов</translation>
    </message>
    <message>
        <source>The chats waiting, under the counter</source>
        <translation>Ожидающие чаты, под счётчиком</translation>
    </message>
    <message>
        <source>&amp;Tickets</source>
        <translation>&amp;Тикеты</translation>
    </message>
    <message>
        <source>My tickets and my departments&apos;</source>
        <translation>Мои тикеты и тикеты моих отделов</translation>
    </message>
    <message>
        <source>&amp;Search clients</source>
        <translation>&amp;Поиск клиентов</translation>
    </message>
    <message>
        <source>&amp;Next tab</source>
        <translation>&amp;Следующая вкладка</translation>
    </message>
    <message>
        <source>&amp;Previous tab</source>
        <translation>П&amp;редыдущая вкладка</translation>
    </message>
    <message>
        <source>&amp;Close tab</source>
        <translation>&amp;Закрыть вкладку</translation>
    </message>
    <message>
        <source>Close the tab in front (a chat asks first)</source>
        <translation>Закрыть открытую вкладку (для чата — с подтверждением)</translation>
    </message>
    <message>
        <source>Desk</source>
        <translation>Рабочее место</translation>
    </message>
    <message>
        <source>&amp;Show SupportDesk</source>
        <translation>&amp;Показать SupportDesk</translation>
    </message>
    <message>
        <source>Bring the desk to the front</source>
        <translation>Вывести окно SupportDesk на передний план</translation>
    </message>
    <message>
        <source>&amp;Network requests</source>
        <translation>&amp;Сетевые запросы</translation>
    </message>
    <message>
        <source>Notifications &amp;log</source>
        <translation>&amp;Журнал уведомлений</translation>
    </message>
    <message>
        <source>&amp;Settings…</source>
        <translation>&amp;Настройки…</translation>
    </message>
    <message>
        <source>What&apos;s &amp;new</source>
        <translation>Что &amp;нового</translation>
    </message>
    <message>
        <source>What changed in this version</source>
        <translation>Что изменилось в этой версии</translation>
    </message>
    <message>
        <source>&amp;Log out</source>
        <translation>В&amp;ыйти из учётной записи</translation>
    </message>
    <message>
        <source>&amp;Quit SupportDesk</source>
        <translation>За&amp;крыть SupportDesk</translation>
    </message>
</context>
<context>
    <name>DesktopIntegration</name>
    <message>
        <source>SupportDesk lost the connection</source>
        <extracomment>A dropped connection is announced only when it is not back within this time: a blip that the reconnect repairs at once is not worth a popup; an outage (no chats arrive!) is. The waiting notification names this many chats, then &quot;and N more&quot;; it is persistent only while the agent is away (see ``agent_away`` and docs/architecture.md, &quot;The notification rule&quot;).</extracomment>
        <translation>SupportDesk потерял связь с сервером</translation>
    </message>
    <message>
        <source>New chats cannot reach you until it is back.</source>
        <translation>Пока связь не восстановится, новые чаты к вам не поступят.</translation>
    </message>
    <message>
        <source>A visitor</source>
        <translation>Посетитель</translation>
    </message>
    <message>
        <source>New chat: %1 (%2)</source>
        <translation>Новый чат: %1 (%2)</translation>
    </message>
    <message>
        <source>New chat: %1</source>
        <translation>Новый чат: %1</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message numerus="yes">
        <source>and %Ln more</source>
        <translation>
            <numerusform>и ещё %Ln</numerusform>
            <numerusform>и ещё %Ln</numerusform>
            <numerusform>и ещё %Ln</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n chats are waiting</source>
        <translation>
            <numerusform>%n чат ожидает ответа</numerusform>
            <numerusform>%n чата ожидают ответа</numerusform>
            <numerusform>%n чатов ожидают ответа</numerusform>
        </translation>
    </message>
    <message>
        <source>Visitor</source>
        <translation>Посетитель</translation>
    </message>
    <message>
        <source>Client</source>
        <translation>Клиент</translation>
    </message>
    <message>
        <source>Ticket #%1: %2</source>
        <translation>Тикет №%1: %2</translation>
    </message>
    <message>
        <source>Chat forwarded to you: %1</source>
        <translation>Вам передан чат: %1</translation>
    </message>
    <message>
        <source>From %1</source>
        <translation>От: %1</translation>
    </message>
    <message>
        <source>Nobody in %1 took it in time.</source>
        <translation>Никто в отделе «%1» не взял его вовремя.</translation>
    </message>
    <message>
        <source>Nobody took it in time.</source>
        <translation>Никто не взял его вовремя.</translation>
    </message>
    <message>
        <source>Forwarded chat came back: %1</source>
        <translation>Переданный чат вернулся: %1</translation>
    </message>
</context>
<context>
    <name>ErrorReporter</name>
    <message>
        <source>SupportDesk: something went wrong</source>
        <translation>SupportDesk: что-то пошло не так</translation>
    </message>
    <message>
        <source>The details are in the log file %1.</source>
        <translation>Подробности — в файле журнала %1.</translation>
    </message>
</context>
<context>
    <name>ErrorWords</name>
    <message numerus="yes">
        <source>%Ln more error(s) happened since; see the log file.</source>
        <translation>
            <numerusform>С тех пор произошла ещё %Ln ошибка; см. файл журнала.</numerusform>
            <numerusform>С тех пор произошли ещё %Ln ошибки; см. файл журнала.</numerusform>
            <numerusform>С тех пор произошло ещё %Ln ошибок; см. файл журнала.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ForwardDialog</name>
    <message>
        <source>Forward chat</source>
        <extracomment>The chat was forwarded: the new chat snapshot and the department&apos;s name.</extracomment>
        <translation>Передача чата</translation>
    </message>
    <message>
        <source>Forward the chat to a department with colleagues online. If nobody takes it within 1.5 minutes it comes back.</source>
        <translation>Передайте чат в отдел, где есть коллеги в сети. Если за полторы минуты его никто не возьмёт, он вернётся к вам.</translation>
    </message>
    <message>
        <source>Comment for the colleague (optional)</source>
        <translation>Комментарий для коллеги (необязательно)</translation>
    </message>
    <message>
        <source>What the chat is about, what was tried…</source>
        <translation>О чём чат, что уже пробовали…</translation>
    </message>
    <message>
        <source>Forward</source>
        <translation>Передать</translation>
    </message>
    <message>
        <source>The departments could not be loaded: %1</source>
        <translation>Не удалось загрузить список отделов: %1</translation>
    </message>
    <message>
        <source>The chat was not forwarded: %1</source>
        <translation>Чат не передан: %1</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <source>Sign in to SupportDesk</source>
        <translation>Вход в SupportDesk</translation>
    </message>
    <message>
        <source>Sign in</source>
        <translation>Войти</translation>
    </message>
    <message>
        <source>Leave empty for the built-in demo</source>
        <translation>Оставьте пустым для встроенного демо</translation>
    </message>
    <message>
        <source>The address of your SupportDesk server, e.g. https://desk.example.com</source>
        <translation>Адрес вашего сервера SupportDesk, например https://desk.example.com</translation>
    </message>
    <message>
        <source>Keep me signed in on this computer</source>
        <translation>Не выходить на этом компьютере</translation>
    </message>
    <message>
        <source>The sign-in token is kept in the system keyring, never in a file.</source>
        <translation>Токен входа хранится в системном хранилище паролей, а не в файле.</translation>
    </message>
    <message>
        <source>&amp;Server:</source>
        <translation>&amp;Сервер:</translation>
    </message>
    <message>
        <source>&amp;Username:</source>
        <translation>&amp;Логин:</translation>
    </message>
    <message>
        <source>&amp;Password:</source>
        <translation>&amp;Пароль:</translation>
    </message>
    <message>
        <source>Not needed for the demo</source>
        <translation>Для демо не нужен</translation>
    </message>
    <message>
        <source>Start the demo</source>
        <translation>Запустить демо</translation>
    </message>
    <message>
        <source>The server address is not valid; it must look like %1.</source>
        <translation>Неверный адрес сервера; он должен выглядеть так: %1.</translation>
    </message>
    <message>
        <source>Enter your username.</source>
        <translation>Введите логин.</translation>
    </message>
    <message>
        <source>Enter your password.</source>
        <translation>Введите пароль.</translation>
    </message>
    <message>
        <source>Signing in failed because of an error in SupportDesk. The details are in the log file; please try again.</source>
        <translation>Не удалось войти из-за ошибки в SupportDesk. Подробности — в файле журнала; попробуйте ещё раз.</translation>
    </message>
    <message>
        <source>Signing in…</source>
        <translation>Входим…</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>SupportDesk</source>
        <extracomment>the kinds of tab the window opens (ui/tabs/contract.py), each built from its key The person chose &quot;Log out&quot; in the user menu. The person chose &quot;Quit&quot; (or closed the window; the app decides about the tray). &quot;Show SupportDesk&quot; (the tray menu): the desktop integration brings the desk up. The change log button was clicked (the window opens the change log tab itself). The connection status light was clicked (the window opens the network panel itself). A chat was taken by this agent (its tab is open). The number of chats waiting that this agent may take (0 while offline). For the tray. A chat newly entered the list of chats (the Chat snapshot). For notifications and sound. A visitor message arrived for one of my chats that is not on screen: (Chat, ChatMessage). (ticket id, TicketPost) a client posted on a ticket of mine / my departments, its tab not on screen This agent went online (True) or offline (False).</extracomment>
        <translation>SupportDesk</translation>
    </message>
    <message>
        <source>The list of chats could not be loaded: %1</source>
        <translation>Не удалось загрузить очередь чатов: %1</translation>
    </message>
</context>
<context>
    <name>MessageDelegate</name>
    <message>
        <source>%1 · %2</source>
        <translation>%1 · %2</translation>
    </message>
    <message>
        <source>Not sent — click to retry</source>
        <translation>Не отправлено — щёлкните, чтобы повторить</translation>
    </message>
</context>
<context>
    <name>Navigator</name>
    <message>
        <source>This chat has ended.</source>
        <translation>Этот чат завершён.</translation>
    </message>
    <message>
        <source>A colleague is answering this chat.</source>
        <translation>В этом чате уже отвечает коллега.</translation>
    </message>
    <message>
        <source>Your open chats could not be loaded: %1</source>
        <translation>Не удалось загрузить ваши открытые чаты: %1</translation>
    </message>
</context>
<context>
    <name>NetworkPanel</name>
    <message>
        <source>Network requests</source>
        <translation>Сетевые запросы</translation>
    </message>
    <message>
        <source>Filter by path, status, error…</source>
        <translation>Фильтр по пути, статусу, ошибке…</translation>
    </message>
    <message>
        <source>Failed only</source>
        <translation>Только ошибки</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>Очистить</translation>
    </message>
    <message>
        <source>Remove every row from the list</source>
        <translation>Удалить все строки из списка</translation>
    </message>
    <message numerus="yes">
        <source>%Ln request(s) (the last %1 are kept)</source>
        <translation>
            <numerusform>%Ln запрос (хранятся последние %1)</numerusform>
            <numerusform>%Ln запроса (хранятся последние %1)</numerusform>
            <numerusform>%Ln запросов (хранятся последние %1)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%2 of %Ln request(s) shown (the last %1 are kept)</source>
        <translation>
            <numerusform>Показано %2 из %Ln запроса (хранятся последние %1)</numerusform>
            <numerusform>Показано %2 из %Ln запросов (хранятся последние %1)</numerusform>
            <numerusform>Показано %2 из %Ln запросов (хранятся последние %1)</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>NotificationLogModel</name>
    <message>
        <source>Time</source>
        <extracomment>The kinds of notification, in the order the kind filter lists them.</extracomment>
        <translation>Время</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Тип</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>Заголовок</translation>
    </message>
    <message>
        <source>Text</source>
        <translation>Текст</translation>
    </message>
    <message>
        <source>New chat</source>
        <translation>Новый чат</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>Сообщение</translation>
    </message>
    <message>
        <source>Forwarded</source>
        <translation>Передан</translation>
    </message>
    <message>
        <source>Forward returned</source>
        <translation>Передача вернулась</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>Ошибка</translation>
    </message>
    <message>
        <source>Ticket post</source>
        <translation>Ответ в тикете</translation>
    </message>
</context>
<context>
    <name>NotificationLogPanel</name>
    <message>
        <source>Notifications</source>
        <extracomment>The key of the activated row (&quot;chat:12&quot;, &quot;ticket:7&quot;); rows without a key emit nothing.</extracomment>
        <translation>Уведомления</translation>
    </message>
    <message>
        <source>Search titles and texts…</source>
        <translation>Поиск по заголовкам и текстам…</translation>
    </message>
    <message>
        <source>All kinds</source>
        <translation>Все типы</translation>
    </message>
    <message>
        <source>Double-click a notification (or press Enter) to open its chat or ticket.</source>
        <translation>Дважды щёлкните по уведомлению (или нажмите Enter), чтобы открыть его чат или тикет.</translation>
    </message>
</context>
<context>
    <name>Notifier</name>
    <message>
        <source>Open</source>
        <translation>Открыть</translation>
    </message>
</context>
<context>
    <name>OutboxFeed</name>
    <message>
        <source>The message could not be saved on this computer (%1), so it was not sent. It is still in the message field; try again.</source>
        <extracomment>A row is new, or its state or error changed. The server stored it: (Outgoing, the server&apos;s answer: ChatMessage / TicketPost). The row is gone (discarded, or its write failed). The server refused it for good: (client_msg_id, the server&apos;s sentence). It could not be written to this computer&apos;s outbox: (client_msg_id, a sentence). the feed&apos;s lifetime: reading the outbox ends with it; a write or a retry is the app&apos;s (``tasks``) and only reports back while the scope is alive</extracomment>
        <translation>Сообщение не удалось сохранить на этом компьютере (%1), поэтому оно не отправлено. Текст остался в поле ввода; попробуйте ещё раз.</translation>
    </message>
    <message>
        <source>The message could not be saved on this computer (%1).</source>
        <translation>Сообщение не удалось сохранить на этом компьютере (%1).</translation>
    </message>
</context>
<context>
    <name>Priority</name>
    <message>
        <source>Low</source>
        <translation>Низкий</translation>
    </message>
    <message>
        <source>Normal</source>
        <translation>Обычный</translation>
    </message>
    <message>
        <source>High</source>
        <translation>Высокий</translation>
    </message>
    <message>
        <source>Urgent</source>
        <translation>Срочный</translation>
    </message>
</context>
<context>
    <name>QueueHistory</name>
    <message>
        <source>The history could not be loaded: %1</source>
        <extracomment>(chat id) the history of a chat is now in the cache.</extracomment>
        <translation>Не удалось загрузить историю: %1</translation>
    </message>
</context>
<context>
    <name>QueueModel</name>
    <message>
        <source>Department %1</source>
        <extracomment>The number of waiting chats changed (also after a reload). A reload over HTTP started (True) / finished (False). Chats that were not in the queue before: inserted by an event, or found by a reload (e.g. they came in while the desk was offline, or during the first load after sign-in). A list of Chat snapshots, in queue order.</extracomment>
        <translation>Отдел %1</translation>
    </message>
    <message>
        <source>%1, %2</source>
        <translation>%1, %2</translation>
    </message>
    <message>
        <source>%1, %2, waiting %3</source>
        <translation>%1, %2, ждёт %3</translation>
    </message>
    <message>
        <source>Visitor</source>
        <translation>Посетитель</translation>
    </message>
    <message>
        <source>Forwarded</source>
        <translation>Передан</translation>
    </message>
    <message>
        <source>Back in the list: a colleague could not answer it</source>
        <translation>Снова в очереди: коллега не смог ответить</translation>
    </message>
    <message>
        <source>Taken by a colleague</source>
        <translation>Взял коллега</translation>
    </message>
    <message>
        <source>Closed: the visitor left or a colleague ended it</source>
        <translation>Завершён: посетитель ушёл или коллега завершил чат</translation>
    </message>
    <message>
        <source>Taken by %1</source>
        <translation>Взят: %1</translation>
    </message>
    <message>
        <source>Forwarded to %1</source>
        <translation>Передан: %1</translation>
    </message>
    <message>
        <source>No longer waiting</source>
        <translation>Больше не ожидает</translation>
    </message>
</context>
<context>
    <name>QueuePage</name>
    <message>
        <source>Waiting chats</source>
        <extracomment>A history tooltip was shown (tests): the plain-text source and the rich-text shell.</extracomment>
        <translation>Очередь чатов</translation>
    </message>
    <message>
        <source>Waiting chats (%1)</source>
        <translation>Очередь чатов (%1)</translation>
    </message>
    <message>
        <source>Loading the chats waiting for you…</source>
        <translation>Загружаем ожидающие вас чаты…</translation>
    </message>
    <message>
        <source>No chats are waiting.
A new chat shows up here the moment a visitor writes.</source>
        <translation>Ожидающих чатов нет.
Новый чат появится здесь, как только посетитель напишет.</translation>
    </message>
</context>
<context>
    <name>QueuePopup</name>
    <message>
        <source>No chats are waiting. A new chat shows up here the moment a visitor writes.</source>
        <extracomment>The agent clicked (or pressed Enter on) a chat: take it. A history tooltip was shown (tests): the plain-text source and the rich-text shell.</extracomment>
        <translation>Ожидающих чатов нет. Новый чат появится здесь, как только посетитель напишет.</translation>
    </message>
    <message>
        <source>Waiting chats</source>
        <translation>Очередь чатов</translation>
    </message>
    <message>
        <source>1 chat waiting — click it to take it</source>
        <translation>1 чат ожидает — щёлкните, чтобы взять его</translation>
    </message>
    <message numerus="yes">
        <source>%Ln chat(s) waiting — click one to take it</source>
        <translation>
            <numerusform>%Ln чат ожидает — щёлкните по нему, чтобы взять</numerusform>
            <numerusform>%Ln чата ожидают — щёлкните по одному, чтобы взять</numerusform>
            <numerusform>%Ln чатов ожидают — щёлкните по одному, чтобы взять</numerusform>
        </translation>
    </message>
    <message>
        <source>Taking the chat…</source>
        <translation>Берём чат…</translation>
    </message>
</context>
<context>
    <name>QueueView</name>
    <message>
        <source>No messages yet.</source>
        <translation>Сообщений пока нет.</translation>
    </message>
    <message>
        <source>Visitor</source>
        <translation>Посетитель</translation>
    </message>
    <message>
        <source>Agent</source>
        <translation>Оператор</translation>
    </message>
    <message>
        <source>Loading the history…</source>
        <translation>Загружаем историю…</translation>
    </message>
</context>
<context>
    <name>RecordEditDialog</name>
    <message>
        <source>No expiry</source>
        <translation>Бессрочно</translation>
    </message>
    <message>
        <source>Overwrite with mine</source>
        <translation>Записать мои</translation>
    </message>
    <message>
        <source>Take theirs and edit again</source>
        <translation>Взять значения коллеги и изменить заново</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Сохранить</translation>
    </message>
    <message>
        <source>Yes</source>
        <translation>Да</translation>
    </message>
    <message>
        <source>No</source>
        <translation>Нет</translation>
    </message>
    <message>
        <source>%1 cannot be empty.</source>
        <translation>Поле «%1» не может быть пустым.</translation>
    </message>
    <message numerus="yes">
        <source>%1 can be at most %Ln character(s) long.</source>
        <translation>
            <numerusform>Поле «%1» может содержать не более %Ln символа.</numerusform>
            <numerusform>Поле «%1» может содержать не более %Ln символов.</numerusform>
            <numerusform>Поле «%1» может содержать не более %Ln символов.</numerusform>
        </translation>
    </message>
    <message>
        <source>Nothing was changed.</source>
        <translation>Ничего не изменено.</translation>
    </message>
    <message>
        <source>Not saved: %1</source>
        <translation>Не сохранено: %1</translation>
    </message>
    <message>
        <source>The server refused this: %1</source>
        <translation>Сервер отклонил изменения: %1</translation>
    </message>
    <message>
        <source>A colleague has just changed this record. When you save, you will see what they changed and can choose.</source>
        <translation>Коллега только что изменил эту запись. При сохранении вы увидите его изменения и сможете выбрать.</translation>
    </message>
    <message>
        <source>A colleague changed this record while you were editing it. Compare their values with yours, then overwrite with yours or take theirs and edit again.</source>
        <translation>Коллега изменил эту запись, пока вы её редактировали. Сравните его значения со своими, затем запишите свои или возьмите его и измените заново.</translation>
    </message>
</context>
<context>
    <name>RepliesPopup</name>
    <message>
        <source>Search replies — ↑↓ to pick, Enter to insert</source>
        <extracomment>The chosen reply&apos;s text (placeholders not yet replaced). Where the replies are used (the ``context`` of GET /replies): &quot;chat&quot; or &quot;ticket&quot;.</extracomment>
        <translation>Поиск шаблонов — ↑↓ выбрать, Enter вставить</translation>
    </message>
    <message>
        <source>The replies could not be loaded: %1</source>
        <translation>Не удалось загрузить шаблоны: %1</translation>
    </message>
    <message>
        <source>No reply matches.</source>
        <translation>Подходящих шаблонов нет.</translation>
    </message>
    <message>
        <source>No pre-defined replies yet: right-click a message and choose “Save as pre-defined reply…”.</source>
        <translation>Шаблонов ответов пока нет: щёлкните по сообщению правой кнопкой и выберите «Сохранить как шаблон ответа…».</translation>
    </message>
</context>
<context>
    <name>RequestLogModel</name>
    <message>
        <source>Time</source>
        <extracomment>Rows were appended (after a flush), with the number appended.</extracomment>
        <translation>Время</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Тип</translation>
    </message>
    <message>
        <source>Method</source>
        <translation>Метод</translation>
    </message>
    <message>
        <source>Path</source>
        <translation>Путь</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Статус</translation>
    </message>
    <message>
        <source>Duration</source>
        <translation>Длительность</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>Ошибка</translation>
    </message>
    <message>
        <source>no answer</source>
        <translation>нет ответа</translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation>%1 мс</translation>
    </message>
</context>
<context>
    <name>SaveReplyDialog</name>
    <message>
        <source>Save as pre-defined reply</source>
        <extracomment>The reply was saved on the server.</extracomment>
        <translation>Сохранить как шаблон ответа</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>Название</translation>
    </message>
    <message>
        <source>Text</source>
        <translation>Текст</translation>
    </message>
    <message>
        <source>Placeholders: {client_name}, {agent_name}, {department}</source>
        <translation>Подстановки: {client_name}, {agent_name}, {department}</translation>
    </message>
    <message>
        <source>Department:</source>
        <translation>Отдел:</translation>
    </message>
    <message>
        <source>Only me</source>
        <translation>Только для меня</translation>
    </message>
    <message>
        <source>Only in chats (not offered in tickets)</source>
        <translation>Только в чатах (не предлагать в тикетах)</translation>
    </message>
    <message>
        <source>Save reply</source>
        <translation>Сохранить шаблон</translation>
    </message>
    <message>
        <source>The reply was not saved: %1</source>
        <translation>Шаблон не сохранён: %1</translation>
    </message>
</context>
<context>
    <name>Search</name>
    <message>
        <source>login</source>
        <translation>логин</translation>
    </message>
    <message>
        <source>email</source>
        <translation>эл. почта</translation>
    </message>
    <message>
        <source>client id</source>
        <translation>ID клиента</translation>
    </message>
    <message>
        <source>service id</source>
        <translation>ID услуги</translation>
    </message>
    <message>
        <source>domain</source>
        <translation>домен</translation>
    </message>
    <message>
        <source>payment</source>
        <translation>платёж</translation>
    </message>
    <message>
        <source>ticket id</source>
        <translation>номер тикета</translation>
    </message>
    <message>
        <source>IP address</source>
        <translation>IP-адрес</translation>
    </message>
    <message>
        <source>phone</source>
        <translation>телефон</translation>
    </message>
    <message>
        <source>name</source>
        <translation>имя</translation>
    </message>
    <message>
        <source>matched: {field} = {value}</source>
        <translation>совпадение: {field} = {value}</translation>
    </message>
</context>
<context>
    <name>SearchResultsTableModel</name>
    <message>
        <source>ID</source>
        <translation>ID</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Имя</translation>
    </message>
    <message>
        <source>Email</source>
        <translation>Эл. почта</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>Телефон</translation>
    </message>
    <message>
        <source>Project</source>
        <translation>Проект</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Статус</translation>
    </message>
    <message>
        <source>Balance</source>
        <translation>Баланс</translation>
    </message>
    <message>
        <source>Matched field</source>
        <translation>Поле совпадения</translation>
    </message>
    <message>
        <source>Matched value</source>
        <translation>Совпавшее значение</translation>
    </message>
</context>
<context>
    <name>SearchTab</name>
    <message>
        <source>Search again</source>
        <translation>Искать снова</translation>
    </message>
    <message>
        <source>Search: {query}</source>
        <translation>Поиск: {query}</translation>
    </message>
    <message>
        <source>Searching for “{query}”…</source>
        <translation>Ищем «{query}»…</translation>
    </message>
    <message numerus="yes">
        <source>%Ln client(s) match “{query}”. Double-click one to open it.</source>
        <translation>
            <numerusform>По запросу «{query}» найден %Ln клиент. Дважды щёлкните, чтобы открыть.</numerusform>
            <numerusform>По запросу «{query}» найдено %Ln клиента. Дважды щёлкните по клиенту, чтобы открыть.</numerusform>
            <numerusform>По запросу «{query}» найдено %Ln клиентов. Дважды щёлкните по клиенту, чтобы открыть.</numerusform>
        </translation>
    </message>
    <message>
        <source>No client matches “{query}”.</source>
        <translation>По запросу «{query}» клиентов не найдено.</translation>
    </message>
</context>
<context>
    <name>ServerError</name>
    <message>
        <source>The server could not understand the request. Update SupportDesk if this keeps happening.</source>
        <translation>Сервер не понял запрос. Если это повторяется, обновите SupportDesk.</translation>
    </message>
    <message>
        <source>Your session is no longer valid; please sign in again.</source>
        <translation>Ваш сеанс больше не действителен; войдите снова.</translation>
    </message>
    <message>
        <source>You are not allowed to do that: your departments or role do not permit it.</source>
        <translation>У вас нет на это прав: этого не позволяют ваши отделы или роль.</translation>
    </message>
    <message>
        <source>The server does not accept requests from this site.</source>
        <translation>Сервер не принимает запросы с этого сайта.</translation>
    </message>
    <message>
        <source>That item does not exist or is not visible to you.</source>
        <translation>Такой записи нет, или она вам не видна.</translation>
    </message>
    <message>
        <source>The server does not support this request; update SupportDesk.</source>
        <translation>Сервер не поддерживает этот запрос; обновите SupportDesk.</translation>
    </message>
    <message>
        <source>A colleague has already taken this chat.</source>
        <translation>Этот чат уже взял коллега.</translation>
    </message>
    <message>
        <source>This visitor already has an open chat; the message went into it.</source>
        <translation>У этого посетителя уже есть открытый чат; сообщение добавлено в него.</translation>
    </message>
    <message>
        <source>That cannot be done in the item&apos;s current state; reload it and try again.</source>
        <translation>В текущем состоянии записи это сделать нельзя; обновите её и попробуйте ещё раз.</translation>
    </message>
    <message>
        <source>A colleague changed this meanwhile; reload it and make your change again.</source>
        <translation>Коллега тем временем изменил эту запись; обновите её и внесите изменение ещё раз.</translation>
    </message>
    <message>
        <source>That is too large to send.</source>
        <translation>Это слишком большой объём для отправки.</translation>
    </message>
    <message>
        <source>The server did not accept the data; check the fields and try again.</source>
        <translation>Сервер не принял данные; проверьте поля и попробуйте ещё раз.</translation>
    </message>
    <message>
        <source>Too many attempts; please wait a moment and try again.</source>
        <translation>Слишком много попыток; подождите немного и попробуйте ещё раз.</translation>
    </message>
    <message>
        <source>The server&apos;s database is busy; nothing was saved. Try again in a moment.</source>
        <translation>База данных сервера занята; ничего не сохранено. Попробуйте ещё раз через минуту.</translation>
    </message>
    <message>
        <source>The server cannot read or write its database; nothing was saved. Tell your administrator.</source>
        <translation>Сервер не может читать или записывать свою базу данных; ничего не сохранено. Сообщите администратору.</translation>
    </message>
    <message>
        <source>The server&apos;s disk is full; nothing was saved. Tell your administrator.</source>
        <translation>Диск сервера заполнен; ничего не сохранено. Сообщите администратору.</translation>
    </message>
    <message>
        <source>The server failed to handle the request; try again, and tell your administrator if it keeps happening.</source>
        <translation>Сервер не смог обработать запрос; попробуйте ещё раз, а если ошибка повторяется, сообщите администратору.</translation>
    </message>
    <message>
        <source>The request failed; try again.</source>
        <translation>Запрос не выполнен; попробуйте ещё раз.</translation>
    </message>
    <message>
        <source>Cannot reach the server; check the network connection. SupportDesk keeps trying.</source>
        <translation>Нет связи с сервером; проверьте подключение к сети. SupportDesk продолжает попытки.</translation>
    </message>
    <message>
        <source>The connection to the server was closed.</source>
        <translation>Соединение с сервером закрыто.</translation>
    </message>
    <message>
        <source>The server&apos;s answer could not be read: is the server address right and the server up to date?</source>
        <translation>Не удалось разобрать ответ сервера: верен ли адрес и обновлён ли сервер?</translation>
    </message>
    <message>
        <source>This server does not offer that.</source>
        <translation>Этот сервер такого не поддерживает.</translation>
    </message>
    <message>
        <source>The server address is not valid; it must look like https://support.example.com or http://127.0.0.1:8000.</source>
        <translation>Неверный адрес сервера; он должен выглядеть так: https://support.example.com или http://127.0.0.1:8000.</translation>
    </message>
    <message>
        <source>Enter the code of your authenticator app.</source>
        <translation>Введите код из приложения-аутентификатора.</translation>
    </message>
    <message>
        <source>The code is wrong; enter the current one.</source>
        <translation>Код неверен; введите текущий код.</translation>
    </message>
    <message>
        <source>That code was already used; wait for the next one.</source>
        <translation>Этот код уже использован; дождитесь следующего.</translation>
    </message>
    <message>
        <source>The current password is wrong.</source>
        <translation>Текущий пароль неверен.</translation>
    </message>
    <message>
        <source>The password is too weak.</source>
        <translation>Пароль слишком простой.</translation>
    </message>
    <message>
        <source>This invitation is unknown, used or expired.</source>
        <translation>Приглашение неизвестно, уже использовано или истекло.</translation>
    </message>
    <message>
        <source>That department does not exist.</source>
        <translation>Такого отдела нет.</translation>
    </message>
    <message>
        <source>The CA certificate file cannot be used; check the ca_file setting or the --ca-file option.</source>
        <translation>Файл сертификата УЦ использовать нельзя; проверьте настройку ca_file или параметр --ca-file.</translation>
    </message>
    <message>
        <source>Wrong username or password.</source>
        <translation>Неверный логин или пароль.</translation>
    </message>
    <message>
        <source>Too many attempts; try again in %1 s.</source>
        <translation>Слишком много попыток; повторите через %1 с.</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>Settings</source>
        <extracomment>The edits were written to the preferences (Apply or OK).</extracomment>
        <translation>Настройки</translation>
    </message>
    <message>
        <source>General</source>
        <translation>Общие</translation>
    </message>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>Сочетания клавиш</translation>
    </message>
    <message>
        <source>New chat waiting</source>
        <translation>Новый чат в очереди</translation>
    </message>
    <message>
        <source>New message</source>
        <translation>Новое сообщение</translation>
    </message>
    <message>
        <source>Chat forwarded to me</source>
        <translation>Мне передали чат</translation>
    </message>
    <message>
        <source>Forward returned</source>
        <translation>Переданный чат вернулся</translation>
    </message>
    <message>
        <source>Errors (connection lost)</source>
        <translation>Ошибки (потеря связи)</translation>
    </message>
    <message>
        <source>Chime</source>
        <translation>Перезвон</translation>
    </message>
    <message>
        <source>Bell</source>
        <translation>Колокольчик</translation>
    </message>
    <message>
        <source>Ping</source>
        <translation>Сигнал</translation>
    </message>
    <message>
        <source>Notifications</source>
        <translation>Уведомления</translation>
    </message>
    <message>
        <source>Event</source>
        <translation>Событие</translation>
    </message>
    <message>
        <source>Desktop message</source>
        <translation>Уведомление на экране</translation>
    </message>
    <message>
        <source>Sound</source>
        <translation>Звук</translation>
    </message>
    <message>
        <source>Which sound</source>
        <translation>Какой звук</translation>
    </message>
    <message>
        <source>Desktop message: %1</source>
        <translation>Уведомление на экране: %1</translation>
    </message>
    <message>
        <source>Sound: %1</source>
        <translation>Звук: %1</translation>
    </message>
    <message>
        <source>no sound</source>
        <translation>без звука</translation>
    </message>
    <message>
        <source>New chats share one desktop message that updates as more arrive. While you are away from the desk (its window hidden, minimised or not in front) chat messages stay on screen until you close them; otherwise they disappear after a few seconds.</source>
        <translation>Новые чаты показываются в одном уведомлении, которое обновляется по мере их поступления. Пока вы не за рабочим местом (окно скрыто, свёрнуто или не на переднем плане), уведомления о сообщениях остаются на экране, пока вы их не закроете; иначе они исчезают через несколько секунд.</translation>
    </message>
    <message>
        <source> s</source>
        <translation> с</translation>
    </message>
    <message>
        <source>Never</source>
        <translation>Никогда</translation>
    </message>
    <message>
        <source>Repeat the new-chat sound every</source>
        <translation>Повторять звук нового чата каждые</translation>
    </message>
    <message>
        <source> %</source>
        <translation> %</translation>
    </message>
    <message>
        <source>Sound volume</source>
        <translation>Громкость</translation>
    </message>
    <message>
        <source>Closing the window keeps SupportDesk running in the tray</source>
        <translation>При закрытии окна SupportDesk продолжает работать в трее</translation>
    </message>
    <message>
        <source>Start SupportDesk when I log in</source>
        <translation>Запускать SupportDesk при входе в систему</translation>
    </message>
    <message>
        <source>Start minimised to the tray</source>
        <translation>Запускать свёрнутым в трей</translation>
    </message>
    <message>
        <source>Writing</source>
        <translation>Ввод текста</translation>
    </message>
    <message>
        <source>Enter (Shift+Enter adds a line)</source>
        <translation>Enter (Shift+Enter — новая строка)</translation>
    </message>
    <message>
        <source>Ctrl+Enter (Enter adds a line)</source>
        <translation>Ctrl+Enter (Enter — новая строка)</translation>
    </message>
    <message>
        <source>Send a chat message with</source>
        <translation>Отправлять сообщение в чате клавишами</translation>
    </message>
    <message>
        <source>Send a ticket reply or note with</source>
        <translation>Отправлять ответ или заметку в тикете клавишами</translation>
    </message>
    <message>
        <source>Appearance</source>
        <translation>Внешний вид</translation>
    </message>
    <message>
        <source>Light or dark colours; “Same as the system” follows the colour scheme of the desktop.</source>
        <translation>Светлые или тёмные цвета; «Как в системе» следует цветовой схеме рабочего стола.</translation>
    </message>
    <message>
        <source>Theme</source>
        <translation>Тема</translation>
    </message>
    <message>
        <source>The theme and the language apply at once.</source>
        <translation>Тема и язык применяются сразу.</translation>
    </message>
    <message>
        <source>Same as the system</source>
        <translation>Как в системе</translation>
    </message>
    <message>
        <source>Light</source>
        <translation>Светлая</translation>
    </message>
    <message>
        <source>Dark</source>
        <translation>Тёмная</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Язык</translation>
    </message>
</context>
<context>
    <name>ShortcutSheet</name>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>Сочетания клавиш</translation>
    </message>
    <message>
        <source>Filter: a command or a key</source>
        <translation>Фильтр: команда или клавиша</translation>
    </message>
    <message>
        <source>Filter the shortcuts</source>
        <translation>Отфильтровать сочетания клавиш</translation>
    </message>
    <message>
        <source>Commands and their shortcuts</source>
        <translation>Команды и их сочетания клавиш</translation>
    </message>
    <message>
        <source>Change a shortcut in Settings, Keyboard shortcuts.</source>
        <translation>Сочетание можно изменить в настройках, раздел «Сочетания клавиш».</translation>
    </message>
    <message>
        <source>Change shortcuts…</source>
        <translation>Изменить сочетания…</translation>
    </message>
</context>
<context>
    <name>ShortcutSheetModel</name>
    <message>
        <source>Command</source>
        <translation>Команда</translation>
    </message>
    <message>
        <source>Shortcut</source>
        <translation>Сочетание</translation>
    </message>
    <message>
        <source>Other</source>
        <translation>Прочее</translation>
    </message>
    <message>
        <source>none</source>
        <translation>нет</translation>
    </message>
</context>
<context>
    <name>ShortcutsPage</name>
    <message>
        <source>Click a shortcut and press the new keys. Every command keeps keys of its own; the × in the field leaves it without one.</source>
        <translation>Щёлкните по сочетанию и нажмите новые клавиши. У каждой команды свои клавиши; × в поле оставляет команду без сочетания.</translation>
    </message>
    <message>
        <source>Command</source>
        <translation>Команда</translation>
    </message>
    <message>
        <source>Shortcut</source>
        <translation>Сочетание</translation>
    </message>
    <message>
        <source>Shortcut: %1</source>
        <translation>Сочетание: %1</translation>
    </message>
    <message>
        <source>Default</source>
        <translation>По умолчанию</translation>
    </message>
    <message>
        <source>Back to %1</source>
        <translation>Вернуть %1</translation>
    </message>
    <message>
        <source>no shortcut</source>
        <translation>без сочетания</translation>
    </message>
    <message>
        <source>also %1</source>
        <translation>также %1</translation>
    </message>
    <message>
        <source>%1 belongs to the text boxes (typing, editing or sending). Use another combination with Ctrl, Alt or Meta, or a function key.</source>
        <translation>%1 занято полями ввода (набор, правка или отправка текста). Выберите другое сочетание с Ctrl, Alt или Meta либо функциональную клавишу.</translation>
    </message>
</context>
<context>
    <name>Status</name>
    <message>
        <source>Active</source>
        <translation>Активен</translation>
    </message>
    <message>
        <source>Suspended</source>
        <translation>Приостановлен</translation>
    </message>
    <message>
        <source>Closed</source>
        <translation>Закрыт</translation>
    </message>
    <message>
        <source>Pending</source>
        <translation>Ожидает</translation>
    </message>
    <message>
        <source>Deleted</source>
        <translation>Удалён</translation>
    </message>
    <message>
        <source>New</source>
        <translation>Новый</translation>
    </message>
    <message>
        <source>Paid</source>
        <translation>Оплачен</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>Отменён</translation>
    </message>
    <message>
        <source>Refunded</source>
        <translation>Возвращён</translation>
    </message>
    <message>
        <source>In progress</source>
        <translation>В работе</translation>
    </message>
    <message>
        <source>Waiting for client</source>
        <translation>Ждёт ответа клиента</translation>
    </message>
</context>
<context>
    <name>TicketForm</name>
    <message>
        <source>Client #{id}</source>
        <extracomment>chosen once the departments arrive (a ticket from a chat: the chat&apos;s department)</extracomment>
        <translation>Клиент №{id}</translation>
    </message>
    <message>
        <source>What the ticket is about</source>
        <translation>О чём тикет</translation>
    </message>
    <message>
        <source>The first message, which the client sees</source>
        <translation>Первое сообщение; его увидит клиент</translation>
    </message>
    <message>
        <source>Create ticket</source>
        <translation>Создать тикет</translation>
    </message>
    <message>
        <source>Client</source>
        <translation>Клиент</translation>
    </message>
    <message>
        <source>&amp;Subject</source>
        <translation>&amp;Тема</translation>
    </message>
    <message>
        <source>&amp;Department</source>
        <translation>&amp;Отдел</translation>
    </message>
    <message>
        <source>&amp;Priority</source>
        <translation>&amp;Приоритет</translation>
    </message>
    <message>
        <source>&amp;Message</source>
        <translation>&amp;Сообщение</translation>
    </message>
    <message>
        <source>Write a subject.</source>
        <translation>Укажите тему.</translation>
    </message>
    <message>
        <source>Choose a department.</source>
        <translation>Выберите отдел.</translation>
    </message>
    <message>
        <source>Write the first message.</source>
        <translation>Напишите первое сообщение.</translation>
    </message>
    <message numerus="yes">
        <source>The message is too long (%Ln character(s); at most %1).</source>
        <translation>
            <numerusform>Сообщение слишком длинное (%Ln символ; не более %1).</numerusform>
            <numerusform>Сообщение слишком длинное (%Ln символа; не более %1).</numerusform>
            <numerusform>Сообщение слишком длинное (%Ln символов; не более %1).</numerusform>
        </translation>
    </message>
    <message>
        <source>Creating…</source>
        <translation>Создаём…</translation>
    </message>
    <message>
        <source>Ticket #{id} created.</source>
        <translation>Тикет №{id} создан.</translation>
    </message>
</context>
<context>
    <name>TicketFormDialog</name>
    <message>
        <source>New ticket</source>
        <translation>Новый тикет</translation>
    </message>
</context>
<context>
    <name>TicketPostsModel</name>
    <message>
        <source>Post</source>
        <translation>Сообщение</translation>
    </message>
    <message>
        <source>Sending…</source>
        <translation>Отправляется…</translation>
    </message>
    <message>
        <source>Not sent: {error} — right-click to retry</source>
        <translation>Не отправлено: {error} — щёлкните правой кнопкой, чтобы повторить</translation>
    </message>
</context>
<context>
    <name>TicketTab</name>
    <message>
        <source>Client</source>
        <translation>Клиент</translation>
    </message>
    <message>
        <source>Reply</source>
        <translation>Ответ</translation>
    </message>
    <message>
        <source>Internal note</source>
        <translation>Внутренняя заметка</translation>
    </message>
    <message>
        <source>Try again</source>
        <translation>Повторить</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Статус</translation>
    </message>
    <message>
        <source>Priority</source>
        <translation>Приоритет</translation>
    </message>
    <message>
        <source>Department</source>
        <translation>Отдел</translation>
    </message>
    <message>
        <source>Assignee</source>
        <translation>Исполнитель</translation>
    </message>
    <message>
        <source>Ticket</source>
        <translation>Тикет</translation>
    </message>
    <message>
        <source>Send reply</source>
        <translation>Отправить ответ</translation>
    </message>
    <message>
        <source>Reply to the client</source>
        <translation>Ответ клиенту</translation>
    </message>
    <message>
        <source>Add note</source>
        <translation>Добавить заметку</translation>
    </message>
    <message>
        <source>Internal note: only agents see it</source>
        <translation>Внутренняя заметка: видят только операторы</translation>
    </message>
    <message>
        <source>A reply is sent to the client; an internal note is seen by agents only</source>
        <translation>Ответ получает клиент; внутреннюю заметку видят только операторы</translation>
    </message>
    <message>
        <source>Ticket #{id}</source>
        <translation>Тикет №{id}</translation>
    </message>
    <message>
        <source>#{id} {subject}</source>
        <translation>№{id} {subject}</translation>
    </message>
    <message>
        <source>{name} (me)</source>
        <translation>{name} (я)</translation>
    </message>
    <message>
        <source>Agent #{id}</source>
        <translation>Оператор №{id}</translation>
    </message>
    <message>
        <source>#{id}</source>
        <translation>№{id}</translation>
    </message>
    <message>
        <source>Unassigned</source>
        <translation>Не назначен</translation>
    </message>
    <message>
        <source>Open client #{id}</source>
        <translation>Открыть клиента №{id}</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>Сохраняем…</translation>
    </message>
    <message>
        <source>Not saved: a colleague changed this ticket meanwhile ({what}). It now shows their values; change it again if you still want to.</source>
        <translation>Не сохранено: коллега тем временем изменил тикет ({what}). Теперь показаны его значения; измените ещё раз, если это ещё нужно.</translation>
    </message>
    <message>
        <source>Not saved: {error}</source>
        <translation>Не сохранено: {error}</translation>
    </message>
    <message>
        <source>Saved.</source>
        <translation>Сохранено.</translation>
    </message>
    <message>
        <source>status</source>
        <translation>статус</translation>
    </message>
    <message>
        <source>priority</source>
        <translation>приоритет</translation>
    </message>
    <message>
        <source>department</source>
        <translation>отдел</translation>
    </message>
    <message>
        <source>assignee</source>
        <translation>исполнитель</translation>
    </message>
    <message>
        <source>{field}: {old} → {new}</source>
        <translation>{field}: {old} → {new}</translation>
    </message>
    <message>
        <source>{field}: {new}</source>
        <translation>{field}: {new}</translation>
    </message>
    <message>
        <source>{field} changed</source>
        <translation>{field}: изменено</translation>
    </message>
    <message>
        <source>no visible change</source>
        <translation>видимых изменений нет</translation>
    </message>
</context>
<context>
    <name>TicketsTab</name>
    <message>
        <source>My tickets</source>
        <translation>Мои тикеты</translation>
    </message>
    <message>
        <source>My departments&apos; tickets</source>
        <translation>Тикеты моих отделов</translation>
    </message>
    <message>
        <source>All tickets I can see</source>
        <translation>Все доступные мне тикеты</translation>
    </message>
    <message>
        <source>Any status</source>
        <translation>Любой статус</translation>
    </message>
    <message>
        <source>Any priority</source>
        <translation>Любой приоритет</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>Обновить</translation>
    </message>
    <message>
        <source>Client</source>
        <translation>Клиент</translation>
    </message>
    <message>
        <source>Double-click a ticket to open it.</source>
        <translation>Дважды щёлкните по тикету, чтобы открыть его.</translation>
    </message>
    <message>
        <source>&amp;Show</source>
        <translation>&amp;Показать</translation>
    </message>
    <message>
        <source>S&amp;tatus</source>
        <translation>С&amp;татус</translation>
    </message>
    <message>
        <source>&amp;Priority</source>
        <translation>П&amp;риоритет</translation>
    </message>
    <message>
        <source>Tickets</source>
        <translation>Тикеты</translation>
    </message>
    <message numerus="yes">
        <source>%Ln ticket(s)</source>
        <translation>
            <numerusform>%Ln тикет</numerusform>
            <numerusform>%Ln тикета</numerusform>
            <numerusform>%Ln тикетов</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>TopBar</name>
    <message>
        <source>Top bar</source>
        <translation>Верхняя панель</translation>
    </message>
    <message>
        <source>Not signed in</source>
        <translation>Вход не выполнен</translation>
    </message>
    <message>
        <source>Agent</source>
        <translation>Оператор</translation>
    </message>
    <message>
        <source>Department head</source>
        <translation>Руководитель отдела</translation>
    </message>
    <message>
        <source>Administrator</source>
        <translation>Администратор</translation>
    </message>
    <message>
        <source>Online</source>
        <translation>В сети</translation>
    </message>
    <message>
        <source>Offline</source>
        <translation>Не в сети</translation>
    </message>
    <message>
        <source>User menu of %1</source>
        <translation>Меню пользователя %1</translation>
    </message>
</context>
<context>
    <name>TrayIcon</name>
    <message>
        <source>Reconnecting…</source>
        <translation>Переподключение…</translation>
    </message>
    <message>
        <source>Connected</source>
        <translation>Подключено</translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>Подключение…</translation>
    </message>
    <message>
        <source>Connection failed</source>
        <translation>Нет подключения</translation>
    </message>
    <message>
        <source>Disconnected</source>
        <translation>Отключено</translation>
    </message>
    <message>
        <source>SupportDesk — %1</source>
        <translation>SupportDesk — %1</translation>
    </message>
    <message numerus="yes">
        <source>%Ln chat(s) waiting</source>
        <translation>
            <numerusform>%Ln чат ожидает</numerusform>
            <numerusform>%Ln чата ожидают</numerusform>
            <numerusform>%Ln чатов ожидают</numerusform>
        </translation>
    </message>
    <message>
        <source>No chats waiting</source>
        <translation>Ожидающих чатов нет</translation>
    </message>
</context>
<context>
    <name>UnreadWords</name>
    <message numerus="yes">
        <source>%1 — %Ln new message(s)</source>
        <translation>
            <numerusform>%1 — %Ln новое сообщение</numerusform>
            <numerusform>%1 — %Ln новых сообщения</numerusform>
            <numerusform>%1 — %Ln новых сообщений</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>VisitorInfo</name>
    <message>
        <source>Visitor</source>
        <translation>Посетитель</translation>
    </message>
    <message>
        <source>IP address</source>
        <extracomment>key -&gt; value label (&quot;ip&quot;, &quot;page&quot;, &quot;referrer&quot;, &quot;agent&quot;, &quot;language&quot;, &quot;local&quot;, &quot;started&quot;)</extracomment>
        <translation>IP-адрес</translation>
    </message>
    <message>
        <source>Page now</source>
        <translation>Текущая страница</translation>
    </message>
    <message>
        <source>Came from</source>
        <translation>Откуда пришёл</translation>
    </message>
    <message>
        <source>Browser</source>
        <translation>Браузер</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Язык</translation>
    </message>
    <message>
        <source>Local time</source>
        <translation>Местное время</translation>
    </message>
    <message>
        <source>Chat started</source>
        <translation>Начало чата</translation>
    </message>
</context>
<context>
    <name>WaitingCounter</name>
    <message>
        <source>No chats waiting</source>
        <extracomment>The number of chats waiting that this agent may take (0 while offline).</extracomment>
        <translation>Ожидающих чатов нет</translation>
    </message>
    <message numerus="yes">
        <source>%Ln chat(s) waiting</source>
        <translation>
            <numerusform>%Ln чат ожидает</numerusform>
            <numerusform>%Ln чата ожидают</numerusform>
            <numerusform>%Ln чатов ожидают</numerusform>
        </translation>
    </message>
    <message>
        <source> — click to see the list</source>
        <translation> — щёлкните, чтобы открыть список</translation>
    </message>
    <message>
        <source>(%1) SupportDesk</source>
        <translation>(%1) SupportDesk</translation>
    </message>
    <message>
        <source>SupportDesk</source>
        <translation>SupportDesk</translation>
    </message>
</context>
<context>
    <name>WorkspaceTabs</name>
    <message>
        <source>%1 (earlier chat)</source>
        <translation>%1 (прошлый чат)</translation>
    </message>
    <message>
        <source>Earlier chat with %1 (read-only)</source>
        <translation>Прошлый чат: %1 (только чтение)</translation>
    </message>
    <message>
        <source>Client: %1</source>
        <translation>Клиент: %1</translation>
    </message>
    <message>
        <source>#%2 %1</source>
        <translation>№%2 %1</translation>
    </message>
    <message>
        <source>Ticket #%2: %1</source>
        <translation>Тикет №%2: %1</translation>
    </message>
    <message>
        <source>Search: %1</source>
        <translation>Поиск: %1</translation>
    </message>
    <message>
        <source>Chat with %1</source>
        <translation>Чат: %1</translation>
    </message>
    <message>
        <source>(%2) %1</source>
        <translation>(%2) %1</translation>
    </message>
</context>
</TS>
