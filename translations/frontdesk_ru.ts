<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ru_RU">
<context>
    <name>App::ConsoleSession</name>
    <message>
        <source>The relay refused the operator token. Enter a valid token in Settings to connect.</source>
        <translation>Ретранслятор не принял токен оператора. Чтобы подключиться, введите действующий токен в настройках.</translation>
    </message>
    <message>
        <source>The relay sent something this console cannot read: %1</source>
        <translation>Ретранслятор прислал данные, которые консоль не может прочитать: %1</translation>
    </message>
    <message>
        <source>Cancelled: the console switched to another relay before the answer came</source>
        <translation>Отменено: консоль переключилась на другой ретранслятор, не дождавшись ответа</translation>
    </message>
    <message>
        <source>The caller has neither a number nor a user id, so there is nothing to add to the blocklist</source>
        <translation>У звонящего нет ни номера, ни идентификатора пользователя — в чёрный список добавлять нечего</translation>
    </message>
    <message>
        <source>%1 was added to the blocklist</source>
        <translation>%1 добавлен в чёрный список</translation>
    </message>
    <message>
        <source>The call was rejected, but %1 was not added to the blocklist: %2</source>
        <translation>Звонок отклонён, но %1 не удалось добавить в чёрный список: %2</translation>
    </message>
    <message>
        <source>Claimed by %1</source>
        <translation>Взят оператором %1</translation>
    </message>
    <message>
        <source>Signed in to the relay as %1 (%2)</source>
        <translation>Вход на ретранслятор выполнен: %1 (%2)</translation>
    </message>
    <message numerus="yes">
        <source>Synchronised with the relay; calls on screen: %n</source>
        <translation>
            <numerusform>Синхронизировано с ретранслятором; звонков на экране: %n</numerusform>
            <numerusform>Синхронизировано с ретранслятором; звонков на экране: %n</numerusform>
            <numerusform>Синхронизировано с ретранслятором; звонков на экране: %n</numerusform>
        </translation>
    </message>
    <message>
        <source>supervisor</source>
        <translation>супервайзер</translation>
    </message>
    <message>
        <source>operator</source>
        <translation>оператор</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>refused</source>
        <translation>отказано</translation>
    </message>
</context>
<context>
    <name>App::Main</name>
    <message>
        <source>The relay refused the operator token.</source>
        <translation>Ретранслятор не принял токен оператора.</translation>
    </message>
    <message>
        <source>Incoming call</source>
        <translation>Входящий звонок</translation>
    </message>
    <message>
        <source>No operator token is stored for this relay yet.</source>
        <translation>Для этого ретранслятора токен оператора ещё не сохранён.</translation>
    </message>
    <message>
        <source>The keychain could not be read: %1</source>
        <translation>Не удалось прочитать хранилище паролей: %1</translation>
    </message>
    <message>
        <source>Not connected: there is no operator token. Open Settings to enter one.</source>
        <translation>Нет подключения: нет токена оператора. Введите его в настройках.</translation>
    </message>
    <message>
        <source>Left sandbox mode for %1</source>
        <translation>Режим песочницы завершён, подключение к %1</translation>
    </message>
    <message>
        <source>Operator console for Microsoft Teams calling.</source>
        <translation>Консоль оператора для звонков Microsoft Teams.</translation>
    </message>
    <message>
        <source>Connect to the relay at &lt;url&gt;; the operator token comes from the keychain.</source>
        <translation>Подключиться к ретранслятору по адресу &lt;url&gt;; токен оператора берётся из хранилища паролей.</translation>
    </message>
    <message>
        <source>Run with a local sandbox and relay and simulated calls (the default when no relay is configured).</source>
        <translation>Запустить с локальной песочницей, ретранслятором и имитацией звонков (по умолчанию, если ретранслятор не настроен).</translation>
    </message>
    <message>
        <source>Frontdesk</source>
        <translation>Frontdesk</translation>
    </message>
    <message>
        <source>Sandbox mode could not start: %1</source>
        <translation>Не удалось запустить режим песочницы: %1</translation>
    </message>
    <message>
        <source>Sandbox mode: a local Graph and relay with simulated calls. Nothing you do here reaches Microsoft Teams.</source>
        <translation>Режим песочницы: локальные Graph и ретранслятор с имитацией звонков. Ничего из сделанного здесь не попадает в Microsoft Teams.</translation>
    </message>
    <message>
        <source>In sandbox mode, the relay answers calls with the example phone menu (IVR), and the simulated callers press its keys.</source>
        <translation>В режиме песочницы ретранслятор отвечает на вызовы примером голосового меню (IVR), а имитируемые абоненты нажимают его клавиши.</translation>
    </message>
</context>
<context>
    <name>App::SandboxMode</name>
    <message>
        <source>Sandbox scenario: %1</source>
        <translation>Сценарий песочницы: %1</translation>
    </message>
    <message>
        <source>The sandbox could not start: %1</source>
        <translation>Не удалось запустить песочницу: %1</translation>
    </message>
    <message>
        <source>No temporary folder for the relay&apos;s journal: %1</source>
        <translation>Не удалось создать временную папку для журнала ретранслятора: %1</translation>
    </message>
    <message>
        <source>The relay could not start: %1</source>
        <translation>Не удалось запустить ретранслятор: %1</translation>
    </message>
    <message>
        <source>no free port on 127.0.0.1</source>
        <translation>на 127.0.0.1 нет свободного порта</translation>
    </message>
</context>
<context>
    <name>App::Settings</name>
    <message>
        <source>Enter the relay&apos;s address.</source>
        <translation>Введите адрес ретранслятора.</translation>
    </message>
    <message>
        <source>This is not a valid address.</source>
        <translation>Это неверный адрес.</translation>
    </message>
    <message>
        <source>The address must start with https:// (or http://).</source>
        <translation>Адрес должен начинаться с https:// (или http://).</translation>
    </message>
    <message>
        <source>The address has no host name.</source>
        <translation>В адресе нет имени хоста.</translation>
    </message>
    <message>
        <source>Put the token in the token field, not in the address.</source>
        <translation>Токен вводится в поле токена, а не в адрес.</translation>
    </message>
    <message>
        <source>The address must not have a query or a fragment.</source>
        <translation>В адресе не должно быть параметров запроса и фрагмента.</translation>
    </message>
    <message>
        <source>The organizer is a user&apos;s object id (a GUID) or sign-in name (name@example.org).</source>
        <translation>Организатор — это идентификатор объекта пользователя (GUID) или имя для входа (name@example.org).</translation>
    </message>
</context>
<context>
    <name>App::SettingsDialog</name>
    <message>
        <source>&amp;Test connection</source>
        <translation>&amp;Проверить подключение</translation>
    </message>
    <message>
        <source>Connection settings</source>
        <translation>Параметры подключения</translation>
    </message>
    <message>
        <source>https://relay.example.org</source>
        <translation>https://relay.example.org</translation>
    </message>
    <message>
        <source>The token your relay&apos;s administrator gave you</source>
        <translation>Токен, который вам выдал администратор ретранслятора</translation>
    </message>
    <message>
        <source>Optional: name@example.org or an object id</source>
        <translation>Необязательно: name@example.org или идентификатор объекта</translation>
    </message>
    <message>
        <source>&amp;Relay address:</source>
        <translation>&amp;Адрес ретранслятора:</translation>
    </message>
    <message>
        <source>Operator &amp;token:</source>
        <translation>&amp;Токен оператора:</translation>
    </message>
    <message>
        <source>Meeting &amp;organizer:</source>
        <translation>&amp;Организатор собраний:</translation>
    </message>
    <message>
        <source>The keychain could not store the token: %1
Press OK again to use it until Frontdesk quits.</source>
        <translation>Не удалось сохранить токен в хранилище паролей: %1
Нажмите «OK» ещё раз, чтобы использовать его до выхода из Frontdesk.</translation>
    </message>
    <message>
        <source>The keychain could not be read: %1</source>
        <translation>Не удалось прочитать хранилище паролей: %1</translation>
    </message>
    <message>
        <source>Enter your operator token.</source>
        <translation>Введите свой токен оператора.</translation>
    </message>
    <message>
        <source>Stored in the keychain; leave empty to keep it</source>
        <translation>Сохранён в хранилище паролей; оставьте поле пустым, чтобы не менять</translation>
    </message>
    <message>
        <source>Storing the token in the keychain…</source>
        <translation>Токен сохраняется в хранилище паролей…</translation>
    </message>
    <message>
        <source>Connected: the relay knows this token as %1 (%2).</source>
        <translation>Подключено: ретранслятор знает этот токен как %1 (%2).</translation>
    </message>
    <message>
        <source>The relay refused this token.</source>
        <translation>Ретранслятор не принял этот токен.</translation>
    </message>
    <message>
        <source>The relay answered, but not as a Frontdesk relay does: %1</source>
        <translation>Сервер ответил, но не так, как отвечает ретранслятор Frontdesk: %1</translation>
    </message>
    <message>
        <source>The relay could not be reached at this address.</source>
        <translation>По этому адресу ретранслятор недоступен.</translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>Подключение…</translation>
    </message>
</context>
<context>
    <name>Gui::ActionDialog</name>
    <message>
        <source>Last attempt failed</source>
        <translation>Последняя попытка не удалась</translation>
    </message>
    <message>
        <source>Why OK is disabled</source>
        <translation>Почему кнопка «OK» недоступна</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Отмена</translation>
    </message>
</context>
<context>
    <name>Gui::CallDelegate</name>
    <message>
        <source>stale</source>
        <extracomment>Marks a call whose last event is old, so its state may be out of date</extracomment>
        <translation>устарело</translation>
    </message>
</context>
<context>
    <name>Gui::CallDialog</name>
    <message>
        <source>Group call</source>
        <translation>Групповой звонок</translation>
    </message>
    <message>
        <source>Call</source>
        <translation>Звонок</translation>
    </message>
    <message>
        <source>&amp;Start the call</source>
        <translation>&amp;Начать звонок</translation>
    </message>
    <message>
        <source>&amp;Call</source>
        <translation>&amp;Позвонить</translation>
    </message>
    <message numerus="yes">
        <source>The bot rings two to %n people or numbers at once, in one call.</source>
        <translation>
            <numerusform>Бот звонит сразу от двух до %n человека или номера, в одном звонке.</numerusform>
            <numerusform>Бот звонит сразу от двух до %n человека или номера, в одном звонке.</numerusform>
            <numerusform>Бот звонит сразу от двух до %n человека или номера, в одном звонке.</numerusform>
        </translation>
    </message>
    <message>
        <source>The bot rings a Teams user or a phone number.</source>
        <translation>Бот звонит пользователю Teams или на телефонный номер.</translation>
    </message>
    <message>
        <source>&amp;Participants:</source>
        <translation>&amp;Участники:</translation>
    </message>
    <message>
        <source>&amp;Whom to call:</source>
        <translation>&amp;Кому позвонить:</translation>
    </message>
    <message>
        <source>People to call</source>
        <translation>Кому позвонить</translation>
    </message>
    <message>
        <source>Person to call</source>
        <translation>Кому позвонить</translation>
    </message>
    <message>
        <source>Subject</source>
        <translation>Тема</translation>
    </message>
    <message>
        <source>Ward round</source>
        <translation>Обход</translation>
    </message>
    <message>
        <source>&amp;Subject:</source>
        <translation>&amp;Тема:</translation>
    </message>
    <message>
        <source>Prompt to play</source>
        <translation>Сообщение для воспроизведения</translation>
    </message>
    <message>
        <source>&amp;Prompt to play when they answer (optional):</source>
        <translation>&amp;Сообщение после ответа (необязательно):</translation>
    </message>
    <message>
        <source>A WAV file (mono, 16-bit, 16 kHz) that Microsoft&apos;s cloud can fetch.</source>
        <translation>Файл WAV (моно, 16 бит, 16 кГц), доступный облаку Microsoft.</translation>
    </message>
    <message>
        <source>A group call needs at least two people; use Call… for one</source>
        <translation>Для группового звонка нужно не меньше двух человек; одному звоните через «Позвонить…»</translation>
    </message>
</context>
<context>
    <name>Gui::ConsoleActions</name>
    <message>
        <source>&amp;Answer</source>
        <translation>&amp;Ответить</translation>
    </message>
    <message>
        <source>Answer call</source>
        <translation>Ответить на звонок</translation>
    </message>
    <message>
        <source>Answer the selected ringing call</source>
        <translation>Ответить на выбранный входящий звонок</translation>
    </message>
    <message>
        <source>&amp;Reject</source>
        <translation>Откл&amp;онить</translation>
    </message>
    <message>
        <source>Reject call</source>
        <translation>Отклонить звонок</translation>
    </message>
    <message>
        <source>Reject the selected ringing call</source>
        <translation>Отклонить выбранный входящий звонок</translation>
    </message>
    <message>
        <source>Reject as &amp;spam</source>
        <translation>Отклонить как &amp;спам</translation>
    </message>
    <message>
        <source>Reject as spam and block caller</source>
        <translation>Отклонить как спам и заблокировать звонящего</translation>
    </message>
    <message>
        <source>Reject the ringing call and add the caller to the relay&apos;s blocklist</source>
        <translation>Отклонить входящий звонок и добавить звонящего в чёрный список ретранслятора</translation>
    </message>
    <message>
        <source>Re&amp;direct…</source>
        <translation>&amp;Переадресовать…</translation>
    </message>
    <message>
        <source>Redirect call</source>
        <translation>Переадресовать звонок</translation>
    </message>
    <message>
        <source>Send the ringing call on to people or numbers without answering it</source>
        <translation>Направить входящий звонок людям или на номера, не отвечая на него</translation>
    </message>
    <message>
        <source>&amp;Transfer…</source>
        <translation>Пере&amp;вести…</translation>
    </message>
    <message>
        <source>Transfer call</source>
        <translation>Перевести звонок</translation>
    </message>
    <message>
        <source>Transfer the established call to a person or number, or to a consultation call</source>
        <translation>Перевести текущий разговор человеку, на номер или на консультационный звонок</translation>
    </message>
    <message>
        <source>&amp;Hang up</source>
        <translation>&amp;Завершить</translation>
    </message>
    <message>
        <source>Hang up call</source>
        <translation>Завершить звонок</translation>
    </message>
    <message>
        <source>End the selected call</source>
        <translation>Завершить выбранный звонок</translation>
    </message>
    <message>
        <source>&amp;Play prompt…</source>
        <translation>&amp;Воспроизвести сообщение…</translation>
    </message>
    <message>
        <source>Play prompt</source>
        <translation>Воспроизвести сообщение</translation>
    </message>
    <message>
        <source>Play an audio file (WAV) to the caller</source>
        <translation>Воспроизвести звонящему аудиофайл (WAV)</translation>
    </message>
    <message>
        <source>&amp;Collect digits</source>
        <translation>Принимать &amp;цифры</translation>
    </message>
    <message>
        <source>Collect digits</source>
        <translation>Принимать цифры</translation>
    </message>
    <message>
        <source>Listen for the keys the caller presses; they appear in the Tones tab</source>
        <translation>Принимать клавиши, которые нажимает звонящий; они появятся на вкладке «Тоны»</translation>
    </message>
    <message>
        <source>&amp;Invite…</source>
        <translation>П&amp;ригласить…</translation>
    </message>
    <message>
        <source>Invite participants</source>
        <translation>Пригласить участников</translation>
    </message>
    <message>
        <source>Add people or numbers to the call</source>
        <translation>Добавить в звонок людей или номера</translation>
    </message>
    <message>
        <source>&amp;Mute participant</source>
        <translation>Выключить &amp;микрофон участнику</translation>
    </message>
    <message>
        <source>Mute participant</source>
        <translation>Выключить микрофон участнику</translation>
    </message>
    <message>
        <source>Mute the selected participant. Graph cannot unmute someone else: they unmute themselves</source>
        <translation>Выключить микрофон выбранному участнику. Graph не может включить микрофон другому участнику: он включает его сам</translation>
    </message>
    <message>
        <source>C&amp;laim</source>
        <translation>В&amp;зять</translation>
    </message>
    <message>
        <source>Claim call</source>
        <translation>Взять звонок</translation>
    </message>
    <message>
        <source>Take the call, so that no other operator acts on it</source>
        <translation>Взять звонок себе, чтобы другие операторы с ним ничего не делали</translation>
    </message>
    <message>
        <source>R&amp;elease</source>
        <translation>Отп&amp;устить</translation>
    </message>
    <message>
        <source>Release call</source>
        <translation>Отпустить звонок</translation>
    </message>
    <message>
        <source>Give up your claim on the call</source>
        <translation>Отказаться от взятого звонка</translation>
    </message>
    <message>
        <source>&amp;Settings…</source>
        <translation>&amp;Настройки…</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>Настройки</translation>
    </message>
    <message>
        <source>Change the relay, the sign-in and the console</source>
        <translation>Изменить ретранслятор, вход и параметры консоли</translation>
    </message>
    <message>
        <source>&amp;Keyboard shortcuts</source>
        <translation>Сочетания &amp;клавиш</translation>
    </message>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>Сочетания клавиш</translation>
    </message>
    <message>
        <source>List every keyboard shortcut of the console</source>
        <translation>Показать все сочетания клавиш консоли</translation>
    </message>
    <message>
        <source>Select a call in the queue first</source>
        <translation>Сначала выберите звонок в очереди</translation>
    </message>
    <message>
        <source>The call has ended</source>
        <translation>Звонок завершён</translation>
    </message>
    <message>
        <source>%1 has claimed this call</source>
        <translation>Этот звонок взял оператор %1</translation>
    </message>
    <message>
        <source>Only a ringing call can be answered</source>
        <translation>Ответить можно только на входящий звонок</translation>
    </message>
    <message>
        <source>Only a ringing call can be rejected; hang up a live call instead</source>
        <translation>Отклонить можно только входящий звонок; текущий разговор завершите</translation>
    </message>
    <message>
        <source>Only a ringing call can be rejected as spam</source>
        <translation>Отклонить как спам можно только входящий звонок</translation>
    </message>
    <message>
        <source>Only a ringing call can be redirected; transfer a live call instead</source>
        <translation>Переадресовать можно только входящий звонок; текущий разговор переведите</translation>
    </message>
    <message>
        <source>Answer the call before transferring it, or redirect it</source>
        <translation>Прежде чем переводить звонок, ответьте на него — или переадресуйте его</translation>
    </message>
    <message>
        <source>A transfer is already under way</source>
        <translation>Перевод уже выполняется</translation>
    </message>
    <message>
        <source>Only an established call can be transferred</source>
        <translation>Перевести можно только текущий разговор</translation>
    </message>
    <message>
        <source>A ringing call is rejected, not hung up</source>
        <translation>Входящий звонок отклоняют, а не завершают</translation>
    </message>
    <message>
        <source>The call is already ending</source>
        <translation>Звонок уже завершается</translation>
    </message>
    <message>
        <source>Prompts play only on an established call</source>
        <translation>Сообщения воспроизводятся только во время разговора</translation>
    </message>
    <message>
        <source>Digits can be collected only on an established call</source>
        <translation>Принимать цифры можно только во время разговора</translation>
    </message>
    <message>
        <source>People can be invited only to an established call</source>
        <translation>Пригласить можно только в идущий разговор</translation>
    </message>
    <message>
        <source>Participants can be muted only in an established call</source>
        <translation>Выключить микрофон участнику можно только во время разговора</translation>
    </message>
    <message>
        <source>Select a participant in the Participants tab</source>
        <translation>Выберите участника на вкладке «Участники»</translation>
    </message>
    <message>
        <source>This participant is the console&apos;s own bot</source>
        <translation>Этот участник — бот самой консоли</translation>
    </message>
    <message>
        <source>Already muted. Graph cannot unmute another participant: they unmute themselves</source>
        <translation>Микрофон уже выключен. Graph не может включить микрофон другому участнику: он включает его сам</translation>
    </message>
    <message>
        <source>You have claimed this call already</source>
        <translation>Вы уже взяли этот звонок</translation>
    </message>
    <message>
        <source>You have not claimed this call</source>
        <translation>Вы не брали этот звонок</translation>
    </message>
    <message>
        <source>Supervisors only</source>
        <translation>Только для супервайзеров</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <extracomment>Tooltip of an action: what it does (its shortcut)</extracomment>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>%1 (%2): %3</source>
        <extracomment>Tooltip of a disabled action: its name (shortcut): why it is disabled</extracomment>
        <translation>%1 (%2): %3</translation>
    </message>
    <message>
        <source>Ca&amp;ll…</source>
        <translation>Позв&amp;онить…</translation>
    </message>
    <message>
        <source>Place a call</source>
        <translation>Позвонить</translation>
    </message>
    <message>
        <source>Call a Teams user or a phone number from the bot, and play a prompt when they answer</source>
        <translation>Позвонить от имени бота пользователю Teams или на номер и воспроизвести сообщение после ответа</translation>
    </message>
    <message>
        <source>&amp;Group call…</source>
        <translation>&amp;Групповой звонок…</translation>
    </message>
    <message>
        <source>Start a group call</source>
        <translation>Начать групповой звонок</translation>
    </message>
    <message>
        <source>Call several people at once, with a subject</source>
        <translation>Позвонить сразу нескольким людям, с темой</translation>
    </message>
    <message>
        <source>&amp;New meeting…</source>
        <translation>&amp;Новое собрание…</translation>
    </message>
    <message>
        <source>New meeting</source>
        <translation>Новое собрание</translation>
    </message>
    <message>
        <source>Schedule a Teams meeting and get its join link and invitation</source>
        <translation>Запланировать собрание Teams и получить ссылку и приглашение</translation>
    </message>
    <message>
        <source>&amp;Meetings</source>
        <translation>&amp;Собрания</translation>
    </message>
    <message>
        <source>Meetings</source>
        <translation>Собрания</translation>
    </message>
    <message>
        <source>The meetings this console created; the bot can join them from here</source>
        <translation>Собрания, созданные в этой консоли; отсюда к ним может подключиться бот</translation>
    </message>
</context>
<context>
    <name>Gui::DetailPane</name>
    <message>
        <source>Call details</source>
        <translation>Сведения о звонке</translation>
    </message>
    <message>
        <source>Select a call in the queue to see who is on it, the keys the caller pressed and what has happened so far.</source>
        <translation>Выберите звонок в очереди, чтобы увидеть его участников, нажатые звонящим клавиши и всё, что уже произошло.</translation>
    </message>
    <message>
        <source>No call selected</source>
        <translation>Звонок не выбран</translation>
    </message>
    <message>
        <source>Caller</source>
        <translation>Звонящий</translation>
    </message>
    <message>
        <source>Caller&apos;s number</source>
        <translation>Номер звонящего</translation>
    </message>
    <message>
        <source>Call state</source>
        <translation>Состояние звонка</translation>
    </message>
    <message>
        <source>Last event</source>
        <translation>Последнее событие</translation>
    </message>
    <message>
        <source>Participants</source>
        <translation>Участники</translation>
    </message>
    <message>
        <source>Tones received</source>
        <translation>Принятые тоны</translation>
    </message>
    <message>
        <source>The keys the caller pressed (DTMF), in order. Collect digits to listen for them.</source>
        <translation>Клавиши, нажатые звонящим (DTMF), по порядку. Чтобы их получать, включите «Принимать цифры».</translation>
    </message>
    <message>
        <source>Timeline</source>
        <translation>Хронология</translation>
    </message>
    <message>
        <source>&amp;Participants</source>
        <extracomment>Detail tab; Alt+1 shows it</extracomment>
        <translation>&amp;Участники</translation>
    </message>
    <message>
        <source>T&amp;ones</source>
        <translation>&amp;Тоны</translation>
    </message>
    <message>
        <source>T&amp;imeline</source>
        <translation>&amp;Хронология</translation>
    </message>
    <message>
        <source>Call detail tabs</source>
        <translation>Вкладки сведений о звонке</translation>
    </message>
    <message>
        <source>not taken yet</source>
        <translation>ещё никто не взял</translation>
    </message>
    <message>
        <source>handled by %1</source>
        <translation>обработал %1</translation>
    </message>
    <message>
        <source> · </source>
        <extracomment>Separates the parts of the call&apos;s status line: &quot;Established · 02:41 · handled by alice&quot;</extracomment>
        <translation> · </translation>
    </message>
    <message>
        <source>%1 (stale: the relay is checking the call)</source>
        <translation>%1 (устарело: ретранслятор проверяет звонок)</translation>
    </message>
    <message>
        <source>No keys pressed yet</source>
        <translation>Клавиши ещё не нажимались</translation>
    </message>
    <message>
        <source>Nobody on the roster yet. It fills in once the call is answered.</source>
        <translation>Участников пока нет. Список заполнится, когда на звонок ответят.</translation>
    </message>
    <message>
        <source>Nothing has happened on this call yet.</source>
        <translation>С этим звонком ещё ничего не происходило.</translation>
    </message>
</context>
<context>
    <name>Gui::EventLog</name>
    <message>
        <source>Event log</source>
        <translation>Журнал событий</translation>
    </message>
</context>
<context>
    <name>Gui::InviteDialog</name>
    <message>
        <source>Invite to the call with %1</source>
        <translation>Пригласить в звонок с абонентом %1</translation>
    </message>
    <message>
        <source>&amp;Invite</source>
        <translation>&amp;Пригласить</translation>
    </message>
    <message numerus="yes">
        <source>Add up to %n people or numbers to the call.</source>
        <translation>
            <numerusform>Добавьте в звонок до %n человека или номера.</numerusform>
            <numerusform>Добавьте в звонок до %n человек или номеров.</numerusform>
            <numerusform>Добавьте в звонок до %n человек или номеров.</numerusform>
        </translation>
    </message>
    <message>
        <source>&amp;Participants:</source>
        <translation>&amp;Участники:</translation>
    </message>
    <message>
        <source>People to invite</source>
        <translation>Кого пригласить</translation>
    </message>
</context>
<context>
    <name>Gui::MainWindow</name>
    <message>
        <source>Call actions</source>
        <translation>Действия со звонком</translation>
    </message>
    <message>
        <source>Call details</source>
        <translation>Сведения о звонке</translation>
    </message>
    <message>
        <source>Event log</source>
        <translation>Журнал событий</translation>
    </message>
    <message>
        <source>&amp;Console</source>
        <translation>&amp;Консоль</translation>
    </message>
    <message>
        <source>C&amp;all</source>
        <translation>&amp;Звонок</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Вид</translation>
    </message>
    <message>
        <source>&amp;Filter calls</source>
        <translation>&amp;Фильтр звонков</translation>
    </message>
    <message>
        <source>Type to filter the queue; Escape clears the filter</source>
        <translation>Введите текст, чтобы отфильтровать очередь; Escape сбрасывает фильтр</translation>
    </message>
    <message>
        <source>Go to the &amp;queue</source>
        <translation>Перейти к &amp;очереди</translation>
    </message>
    <message>
        <source>Move the keyboard focus to the call queue</source>
        <translation>Перевести фокус клавиатуры на очередь звонков</translation>
    </message>
    <message>
        <source>&amp;Participants</source>
        <translation>&amp;Участники</translation>
    </message>
    <message>
        <source>T&amp;ones</source>
        <translation>&amp;Тоны</translation>
    </message>
    <message>
        <source>T&amp;imeline</source>
        <translation>&amp;Хронология</translation>
    </message>
    <message>
        <source>Show the selected call&apos;s %1 tab</source>
        <translation>Показать вкладку «%1» выбранного звонка</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Справка</translation>
    </message>
    <message>
        <source>call %1</source>
        <translation>звонок %1</translation>
    </message>
    <message>
        <source>Not sent: %1</source>
        <translation>Не отправлено: %1</translation>
    </message>
    <message>
        <source>Frontdesk</source>
        <translation>Frontdesk</translation>
    </message>
    <message>
        <source>Frontdesk — %1 (%2)</source>
        <extracomment>Window title: the console and who is at it, &quot;Frontdesk — alice (operator)&quot;</extracomment>
        <translation>Frontdesk — %1 (%2)</translation>
    </message>
    <message>
        <source>&amp;Reminders…</source>
        <translation>&amp;Напоминания…</translation>
    </message>
    <message>
        <source>Calls the relay places at a set time to play a reminder prompt</source>
        <translation>Звонки, которые ретранслятор совершает в заданное время, чтобы проиграть напоминание</translation>
    </message>
    <message>
        <source>Open reminders</source>
        <translation>Открыть напоминания</translation>
    </message>
    <message>
        <source>&amp;Meetings</source>
        <translation>&amp;Собрания</translation>
    </message>
</context>
<context>
    <name>Gui::MeetingDialog</name>
    <message>
        <source>%1 (toll)</source>
        <translation>%1 (платный)</translation>
    </message>
    <message>
        <source>%1 (toll-free)</source>
        <translation>%1 (бесплатный)</translation>
    </message>
    <message>
        <source>Phone conference ID: %1</source>
        <translation>Идентификатор телефонной конференции: %1</translation>
    </message>
    <message>
        <source>Local numbers: %1</source>
        <translation>Местные номера: %1</translation>
    </message>
    <message>
        <source>People calling in by &amp;phone skip the lobby</source>
        <translation>Позвонившие по &amp;телефону проходят без зала ожидания</translation>
    </message>
    <message>
        <source>Require a &amp;passcode to join</source>
        <translation>Требовать &amp;секретный код для входа</translation>
    </message>
    <message>
        <source>&amp;Create meeting</source>
        <translation>&amp;Создать собрание</translation>
    </message>
    <message>
        <source>New meeting</source>
        <translation>Новое собрание</translation>
    </message>
    <message>
        <source>Why Create is disabled</source>
        <translation>Почему создать нельзя</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Закрыть</translation>
    </message>
    <message>
        <source>Subject</source>
        <translation>Тема</translation>
    </message>
    <message>
        <source>Visit of the auditors</source>
        <translation>Визит аудиторов</translation>
    </message>
    <message>
        <source>&amp;Subject:</source>
        <translation>&amp;Тема:</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>Начало</translation>
    </message>
    <message>
        <source>End</source>
        <translation>Конец</translation>
    </message>
    <message>
        <source>S&amp;tarts:</source>
        <translation>&amp;Начало:</translation>
    </message>
    <message>
        <source>&amp;Ends:</source>
        <translation>&amp;Конец:</translation>
    </message>
    <message>
        <source>Organizer</source>
        <translation>Организатор</translation>
    </message>
    <message>
        <source>name@example.org or an object id</source>
        <translation>name@example.org или идентификатор объекта</translation>
    </message>
    <message>
        <source>About the organizer</source>
        <translation>Об организаторе</translation>
    </message>
    <message>
        <source>&amp;Organizer:</source>
        <translation>&amp;Организатор:</translation>
    </message>
    <message>
        <source>Attendees</source>
        <translation>Участники</translation>
    </message>
    <message>
        <source>&amp;Attendees:</source>
        <translation>&amp;Участники:</translation>
    </message>
    <message>
        <source>People in the organization</source>
        <translation>Сотрудники организации</translation>
    </message>
    <message>
        <source>People in the organization and trusted organizations</source>
        <translation>Сотрудники организации и доверенных организаций</translation>
    </message>
    <message>
        <source>People who were invited</source>
        <translation>Приглашённые</translation>
    </message>
    <message>
        <source>Only the organizer</source>
        <translation>Только организатор</translation>
    </message>
    <message>
        <source>Everyone</source>
        <translation>Все</translation>
    </message>
    <message>
        <source>Who skips the lobby</source>
        <translation>Кто проходит без зала ожидания</translation>
    </message>
    <message>
        <source>Who s&amp;kips the lobby:</source>
        <translation>Без &amp;зала ожидания:</translation>
    </message>
    <message>
        <source>Phone callers skip the lobby</source>
        <translation>Позвонившие по телефону проходят без зала ожидания</translation>
    </message>
    <message>
        <source>Require a passcode</source>
        <translation>Требовать секретный код</translation>
    </message>
    <message>
        <source>Who may present</source>
        <translation>Кто может выступать</translation>
    </message>
    <message>
        <source>Who may p&amp;resent:</source>
        <translation>Кто может &amp;выступать:</translation>
    </message>
    <message>
        <source>Last attempt failed</source>
        <translation>Последняя попытка не удалась</translation>
    </message>
    <message>
        <source>PowerShell commands for an administrator</source>
        <translation>Команды PowerShell для администратора</translation>
    </message>
    <message>
        <source>Copy the c&amp;ommands</source>
        <translation>Скопировать &amp;команды</translation>
    </message>
    <message>
        <source>The meeting is created</source>
        <translation>Собрание создано</translation>
    </message>
    <message>
        <source>Created meeting</source>
        <translation>Созданное собрание</translation>
    </message>
    <message>
        <source>Join link</source>
        <translation>Ссылка для подключения</translation>
    </message>
    <message>
        <source>Cop&amp;y link</source>
        <translation>Скопировать сс&amp;ылку</translation>
    </message>
    <message>
        <source>O&amp;pen</source>
        <translation>&amp;Открыть</translation>
    </message>
    <message>
        <source>Meeting id, passcode and dial-in numbers</source>
        <translation>Идентификатор собрания, секретный код и номера для подключения по телефону</translation>
    </message>
    <message>
        <source>Invitation to paste into an email or a chat:</source>
        <translation>Приглашение для письма или чата:</translation>
    </message>
    <message>
        <source>Invitation text</source>
        <translation>Текст приглашения</translation>
    </message>
    <message>
        <source>Copy the &amp;invitation</source>
        <translation>Скопировать &amp;приглашение</translation>
    </message>
    <message>
        <source>Set a default organizer in Console → Settings → Meeting organizer.</source>
        <translation>Организатора по умолчанию можно задать в меню Консоль → Настройки → Организатор собраний.</translation>
    </message>
    <message>
        <source>Enter a subject</source>
        <translation>Введите тему</translation>
    </message>
    <message>
        <source>Enter the organizer, whose meeting it is, or set a default one in Console → Settings</source>
        <translation>Введите организатора собрания или задайте организатора по умолчанию в меню Консоль → Настройки</translation>
    </message>
    <message>
        <source>The organizer must be a Teams user: a sign-in name or an object id</source>
        <translation>Организатором может быть только пользователь Teams: имя для входа или идентификатор объекта</translation>
    </message>
    <message>
        <source>The meeting cannot start in the past</source>
        <translation>Собрание не может начинаться в прошлом</translation>
    </message>
    <message>
        <source>The meeting must end after it starts</source>
        <translation>Собрание должно заканчиваться позже, чем начинается</translation>
    </message>
    <message>
        <source>Attendee %1: %2</source>
        <translation>Участник %1: %2</translation>
    </message>
    <message>
        <source>Attendee %1: invite Teams users; people on the phone dial in with the numbers in the invitation</source>
        <translation>Участник %1: приглашайте пользователей Teams; по телефону подключаются по номерам из приглашения</translation>
    </message>
    <message>
        <source>Meeting id (Graph): %1</source>
        <translation>Идентификатор собрания (Graph): %1</translation>
    </message>
    <message>
        <source>Meeting ID: %1</source>
        <translation>Идентификатор собрания: %1</translation>
    </message>
    <message>
        <source>Passcode: %1</source>
        <translation>Секретный код: %1</translation>
    </message>
    <message>
        <source>Dial in:
%1</source>
        <translation>Подключение по телефону:
%1</translation>
    </message>
    <message>
        <source>No dial-in numbers: the organizer has no audio conferencing.</source>
        <translation>Номеров для подключения по телефону нет: у организатора нет аудиоконференций.</translation>
    </message>
    <message>
        <source>Graph refused to create a meeting for %1: the tenant has no application access policy that lets this app create meetings on the organizer&apos;s behalf. A Teams administrator must run the commands below in Teams PowerShell, then wait up to 30 minutes before trying again.</source>
        <translation>Graph отказался создать собрание для %1: в клиенте нет политики доступа приложений, которая разрешала бы этому приложению создавать собрания от имени организатора. Администратор Teams должен выполнить команды ниже в Teams PowerShell; повторить попытку можно примерно через 30 минут.</translation>
    </message>
    <message>
        <source>%1 – %2</source>
        <extracomment>Invitation: when the meeting is, &quot;25/11/2026 10:00 – 10:30&quot;</extracomment>
        <translation>%1 – %2</translation>
    </message>
    <message>
        <source>Join the Microsoft Teams meeting:</source>
        <translation>Подключиться к собранию Microsoft Teams:</translation>
    </message>
    <message>
        <source>Or call in by phone:</source>
        <translation>Или позвоните по телефону:</translation>
    </message>
    <message>
        <source>&lt;the bot&apos;s application (client) id&gt;</source>
        <translation>&lt;идентификатор приложения (клиента) бота&gt;</translation>
    </message>
</context>
<context>
    <name>Gui::MeetingsDialog</name>
    <message>
        <source>&amp;Refresh</source>
        <translation>&amp;Обновить</translation>
    </message>
    <message>
        <source>Copy join &amp;link</source>
        <translation>Скопировать &amp;ссылку</translation>
    </message>
    <message>
        <source>&amp;Join with the bot</source>
        <translation>&amp;Подключить бота</translation>
    </message>
    <message>
        <source>Meetings</source>
        <translation>Собрания</translation>
    </message>
    <message>
        <source>The meetings this console created. Refresh reads them again from Graph.</source>
        <translation>Собрания, созданные в этой консоли. «Обновить» заново читает их из Graph.</translation>
    </message>
    <message>
        <source>Meetings this console created</source>
        <translation>Собрания, созданные в этой консоли</translation>
    </message>
    <message>
        <source>Last result</source>
        <translation>Последний результат</translation>
    </message>
    <message>
        <source>Refresh the meetings</source>
        <translation>Обновить собрания</translation>
    </message>
    <message>
        <source>Copy the join link</source>
        <translation>Скопировать ссылку для подключения</translation>
    </message>
    <message>
        <source>The bot joins the selected meeting</source>
        <translation>Бот подключается к выбранному собранию</translation>
    </message>
    <message>
        <source>The bot joins the meeting; the call shows in the queue as a group call with its roster</source>
        <translation>Бот подключается к собранию; звонок появится в очереди как групповой, со списком участников</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Закрыть</translation>
    </message>
</context>
<context>
    <name>Gui::NoticeBar</name>
    <message>
        <source>Failed action</source>
        <translation>Неудачное действие</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>Ошибка</translation>
    </message>
    <message>
        <source>Earlier failures</source>
        <translation>Более ранние ошибки</translation>
    </message>
    <message>
        <source>Dismiss</source>
        <translation>Скрыть</translation>
    </message>
    <message>
        <source>Dismiss this error</source>
        <translation>Скрыть эту ошибку</translation>
    </message>
    <message>
        <source>Dismiss this error; the event log keeps it</source>
        <translation>Скрыть эту ошибку; в журнале событий она останется</translation>
    </message>
    <message numerus="yes">
        <source>%n more</source>
        <extracomment>How many failures wait under the one shown</extracomment>
        <translation>
            <numerusform>ещё %n</numerusform>
            <numerusform>ещё %n</numerusform>
            <numerusform>ещё %n</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Gui::OutboundFlow</name>
    <message numerus="yes">
        <source>Refreshing %n meeting(s)…</source>
        <translation>
            <numerusform>Обновляется %n собрание…</numerusform>
            <numerusform>Обновляются %n собрания…</numerusform>
            <numerusform>Обновляются %n собраний…</numerusform>
        </translation>
    </message>
    <message>
        <source>The bot is joining “%1”…</source>
        <translation>Бот подключается к «%1»…</translation>
    </message>
    <message>
        <source>Refreshed from Graph</source>
        <translation>Обновлено из Graph</translation>
    </message>
    <message numerus="yes">
        <source>%n meeting(s) could not be refreshed; the event log says why</source>
        <translation>
            <numerusform>Не удалось обновить %n собрание; причина — в журнале событий</numerusform>
            <numerusform>Не удалось обновить %n собрания; причина — в журнале событий</numerusform>
            <numerusform>Не удалось обновить %n собраний; причина — в журнале событий</numerusform>
        </translation>
    </message>
    <message>
        <source>The bot joined; the call is in the queue</source>
        <translation>Бот подключился; звонок в очереди</translation>
    </message>
</context>
<context>
    <name>Gui::PlayPromptDialog</name>
    <message>
        <source>Play a prompt to %1</source>
        <translation>Воспроизвести сообщение абоненту %1</translation>
    </message>
    <message>
        <source>&amp;Play</source>
        <translation>&amp;Воспроизвести</translation>
    </message>
    <message>
        <source>&amp;Audio file address:</source>
        <translation>&amp;Адрес аудиофайла:</translation>
    </message>
    <message>
        <source>Audio file address</source>
        <translation>Адрес аудиофайла</translation>
    </message>
    <message>
        <source>Graph plays WAV files only: mono, 16-bit, 16 kHz. Microsoft&apos;s cloud fetches the file, so the address must be reachable from the internet.</source>
        <translation>Graph воспроизводит только файлы WAV: моно, 16 бит, 16 кГц. Файл загружает облако Microsoft, поэтому адрес должен быть доступен из интернета.</translation>
    </message>
    <message>
        <source>Audio format</source>
        <translation>Формат аудио</translation>
    </message>
    <message>
        <source>Enter the address of a WAV file</source>
        <translation>Введите адрес файла WAV</translation>
    </message>
    <message>
        <source>This is not a valid address</source>
        <translation>Это неверный адрес</translation>
    </message>
    <message>
        <source>The address must start with https:// or http://</source>
        <translation>Адрес должен начинаться с https:// или http://</translation>
    </message>
    <message>
        <source>The address needs a host name</source>
        <translation>В адресе должно быть имя хоста</translation>
    </message>
    <message>
        <source>The address needs the file&apos;s path</source>
        <translation>В адресе должен быть путь к файлу</translation>
    </message>
</context>
<context>
    <name>Gui::QueuePane</name>
    <message>
        <source>Show &amp;ended</source>
        <translation>Показывать &amp;завершённые</translation>
    </message>
    <message>
        <source>Call queue</source>
        <translation>Очередь звонков</translation>
    </message>
    <message>
        <source>&amp;Filter:</source>
        <translation>&amp;Фильтр:</translation>
    </message>
    <message>
        <source>Filter calls…</source>
        <translation>Фильтр звонков…</translation>
    </message>
    <message>
        <source>Filter calls</source>
        <translation>Фильтр звонков</translation>
    </message>
    <message>
        <source>Name, number, state or operator. Escape clears the filter.</source>
        <translation>Имя, номер, состояние или оператор. Escape сбрасывает фильтр.</translation>
    </message>
    <message>
        <source>Show ended calls</source>
        <translation>Показывать завершённые звонки</translation>
    </message>
    <message>
        <source>Calls</source>
        <translation>Звонки</translation>
    </message>
    <message>
        <source>Transfer accepted</source>
        <translation>Перевод принят</translation>
    </message>
    <message>
        <source>No call matches “%1”. Escape clears the filter.</source>
        <translation>Нет звонков, подходящих под «%1». Escape сбрасывает фильтр.</translation>
    </message>
    <message>
        <source>No calls.</source>
        <translation>Звонков нет.</translation>
    </message>
    <message>
        <source>No calls waiting. A ringing call appears here with its 15-second countdown.</source>
        <translation>Ожидающих звонков нет. Входящий звонок появится здесь с 15-секундным обратным отсчётом.</translation>
    </message>
</context>
<context>
    <name>Gui::RedirectDialog</name>
    <message>
        <source>Redirect %1</source>
        <translation>Переадресовать: %1</translation>
    </message>
    <message>
        <source>&amp;Redirect</source>
        <translation>&amp;Переадресовать</translation>
    </message>
    <message>
        <source>Ring for at &amp;most</source>
        <translation>Звонить &amp;не дольше</translation>
    </message>
    <message>
        <source>Send the call on without answering it, to Teams users or phone numbers.</source>
        <translation>Направить звонок, не отвечая на него, пользователям Teams или на телефонные номера.</translation>
    </message>
    <message>
        <source>&amp;Targets:</source>
        <translation>&amp;Адресаты:</translation>
    </message>
    <message>
        <source>Redirect targets</source>
        <translation>Адресаты переадресации</translation>
    </message>
    <message>
        <source>All targets ring at once; the first to answer gets the call.</source>
        <extracomment>Shown when a redirect has several targets</extracomment>
        <translation>Звонок поступит всем адресатам сразу; его получит тот, кто ответит первым.</translation>
    </message>
    <message>
        <source>Ring all at once</source>
        <translation>Звонить всем сразу</translation>
    </message>
    <message>
        <source> s</source>
        <translation> с</translation>
    </message>
    <message>
        <source>Ring time in seconds</source>
        <translation>Время вызова в секундах</translation>
    </message>
    <message>
        <source>Between %1 and %2 seconds</source>
        <translation>От %1 до %2 секунд</translation>
    </message>
    <message>
        <source>Limit the ring time</source>
        <translation>Ограничить время вызова</translation>
    </message>
    <message>
        <source>Without a limit, Graph decides how long the targets ring</source>
        <translation>Без ограничения Graph сам решает, сколько звонить адресатам</translation>
    </message>
    <message>
        <source>The ring time must be between %1 and %2 seconds</source>
        <translation>Время вызова должно быть от %1 до %2 секунд</translation>
    </message>
</context>
<context>
    <name>Gui::RemindersDialog</name>
    <message>
        <source>C&amp;reate reminder</source>
        <translation>Со&amp;здать напоминание</translation>
    </message>
    <message>
        <source>&amp;Cancel reminder</source>
        <translation>&amp;Отменить напоминание</translation>
    </message>
    <message>
        <source>Re&amp;fresh</source>
        <translation>О&amp;бновить</translation>
    </message>
    <message>
        <source>Reminders</source>
        <translation>Напоминания</translation>
    </message>
    <message>
        <source>+E.164 number, sign-in name or user id</source>
        <translation>Номер +E.164, имя для входа или идентификатор пользователя</translation>
    </message>
    <message>
        <source>Person to call</source>
        <translation>Кому позвонить</translation>
    </message>
    <message>
        <source>Name (optional)</source>
        <translation>Имя (необязательно)</translation>
    </message>
    <message>
        <source>Time, in the local time zone</source>
        <translation>Время в местном часовом поясе</translation>
    </message>
    <message>
        <source>https://…/reminder.wav (empty: the relay&apos;s default)</source>
        <translation>https://…/reminder.wav (пусто: запись ретранслятора по умолчанию)</translation>
    </message>
    <message>
        <source>Prompt address (optional)</source>
        <translation>Адрес записи (необязательно)</translation>
    </message>
    <message>
        <source>Subject (optional)</source>
        <translation>Тема (необязательно)</translation>
    </message>
    <message>
        <source>&amp;Person:</source>
        <translation>&amp;Кому:</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>&amp;Имя:</translation>
    </message>
    <message>
        <source>&amp;Time (%1):</source>
        <translation>&amp;Время (%1):</translation>
    </message>
    <message>
        <source>Pro&amp;mpt:</source>
        <translation>&amp;Запись:</translation>
    </message>
    <message>
        <source>&amp;Subject:</source>
        <translation>&amp;Тема:</translation>
    </message>
    <message>
        <source>New reminder</source>
        <translation>Новое напоминание</translation>
    </message>
    <message>
        <source>Enter the person to call.</source>
        <translation>Укажите, кому позвонить.</translation>
    </message>
    <message>
        <source>Pick a time in the future.</source>
        <translation>Выберите время в будущем.</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>%1, %2</source>
        <translation>%1, %2</translation>
    </message>
    <message>
        <source>%1, request-id %2</source>
        <translation>%1, request-id %2</translation>
    </message>
    <message>
        <source>%1 set a reminder for %2 at %3</source>
        <translation>%1 создал(а) напоминание для %2 на %3</translation>
    </message>
    <message>
        <source>%1 cancelled the reminder for %2</source>
        <translation>%1 отменил(а) напоминание для %2</translation>
    </message>
    <message>
        <source>Reminder: calling %1 (attempt %2)</source>
        <translation>Напоминание: звонок %1 (попытка %2)</translation>
    </message>
    <message>
        <source>Reminder: %1 answered and heard the reminder</source>
        <translation>Напоминание: %1 ответил(а) и прослушал(а) напоминание</translation>
    </message>
    <message>
        <source>Reminder: %1 did not answer; no attempts left</source>
        <translation>Напоминание: %1 не ответил(а); попыток больше нет</translation>
    </message>
    <message>
        <source>Reminder: %1 did not answer (attempt %2)</source>
        <translation>Напоминание: %1 не ответил(а) (попытка %2)</translation>
    </message>
    <message>
        <source>Reminder: the call to %1 failed (%2); no attempts left</source>
        <translation>Напоминание: звонок %1 не удался (%2); попыток больше нет</translation>
    </message>
    <message>
        <source>Reminder: the call to %1 failed (%2), attempt %3</source>
        <translation>Напоминание: звонок %1 не удался (%2), попытка %3</translation>
    </message>
    <message>
        <source>Reminder: %1 will be called again at %2</source>
        <translation>Напоминание: %1 — повторный звонок в %2</translation>
    </message>
    <message>
        <source>Reminder: the reminder for %1 at %2 was missed; the relay was down</source>
        <translation>Напоминание для %1 на %2 пропущено: ретранслятор не работал</translation>
    </message>
    <message>
        <source>Reminder for %1: %2</source>
        <translation>Напоминание для %1: %2</translation>
    </message>
</context>
<context>
    <name>Gui::ResultTexts</name>
    <message>
        <source>HTTP %1</source>
        <translation>HTTP %1</translation>
    </message>
    <message>
        <source>code %1</source>
        <extracomment>Graph&apos;s error code</extracomment>
        <translation>код %1</translation>
    </message>
    <message>
        <source>request-id %1</source>
        <translation>request-id %1</translation>
    </message>
    <message>
        <source> · </source>
        <extracomment>Separates the parts of an error&apos;s details</extracomment>
        <translation> · </translation>
    </message>
    <message>
        <source>%1 done</source>
        <extracomment>An action that succeeded: &quot;Answer done&quot;</extracomment>
        <translation>%1 — выполнено</translation>
    </message>
    <message>
        <source>%1 failed</source>
        <translation>%1 — ошибка</translation>
    </message>
    <message>
        <source>%1 failed: %2</source>
        <extracomment>An action that failed, with Graph&apos;s message: &quot;Transfer failed: The target is busy&quot;</extracomment>
        <translation>%1 — ошибка: %2</translation>
    </message>
    <message>
        <source>%1 — %2</source>
        <extracomment>&quot;Transfer failed: ... — Irina Smirnova&quot;</extracomment>
        <translation>%1 — %2</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>Refresh meeting</source>
        <translation>Обновление собрания</translation>
    </message>
    <message>
        <source>Join meeting</source>
        <translation>Подключение к собранию</translation>
    </message>
</context>
<context>
    <name>Gui::SandboxBanner</name>
    <message>
        <source>Sandbox: simulated calls</source>
        <translation>Песочница: имитация звонков</translation>
    </message>
    <message>
        <source>Sandbox: simulated calls. Nothing here reaches Microsoft Teams or a real caller.</source>
        <translation>Песочница: имитация звонков. Ничего отсюда не попадает ни в Microsoft Teams, ни к настоящим абонентам.</translation>
    </message>
</context>
<context>
    <name>Gui::ShortcutsDialog</name>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>Сочетания клавиш</translation>
    </message>
    <message>
        <source>Shortcuts</source>
        <translation>Сочетания клавиш</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>Действие</translation>
    </message>
    <message>
        <source>Shortcut</source>
        <translation>Сочетание</translation>
    </message>
    <message>
        <source>What it does</source>
        <translation>Что делает</translation>
    </message>
    <message>
        <source>Move in the queue</source>
        <translation>Перемещение по очереди</translation>
    </message>
    <message>
        <source>Up, Down</source>
        <extracomment>The arrow keys</extracomment>
        <translation>Вверх, Вниз</translation>
    </message>
    <message>
        <source>Select the previous or next call, also from the filter box</source>
        <translation>Выбрать предыдущий или следующий звонок, в том числе из поля фильтра</translation>
    </message>
</context>
<context>
    <name>Gui::StatusPanel</name>
    <message>
        <source>Status</source>
        <translation>Состояние</translation>
    </message>
    <message>
        <source>Relay connection</source>
        <translation>Подключение к ретранслятору</translation>
    </message>
    <message>
        <source>Event sequence number</source>
        <translation>Порядковый номер события</translation>
    </message>
    <message>
        <source>The number of the last event received from the relay</source>
        <translation>Номер последнего события, полученного от ретранслятора</translation>
    </message>
    <message>
        <source>Event to screen latency</source>
        <translation>Задержка от события до экрана</translation>
    </message>
    <message>
        <source>95% of the relay&apos;s events reach the screen within this time</source>
        <translation>95 % событий ретранслятора попадают на экран за это время</translation>
    </message>
    <message>
        <source>Signed in as</source>
        <translation>Вход выполнен как</translation>
    </message>
    <message>
        <source>event→screen p95 —</source>
        <translation>событие→экран p95 —</translation>
    </message>
    <message>
        <source>seq %1</source>
        <translation>seq %1</translation>
    </message>
    <message>
        <source>event→screen p95 %1 ms</source>
        <translation>событие→экран p95 %1 мс</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <extracomment>The operator at the console and their role: &quot;alice (operator)&quot;</extracomment>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>Relay connected</source>
        <translation>Ретранслятор подключён</translation>
    </message>
    <message>
        <source>Connecting to the relay…</source>
        <translation>Подключение к ретранслятору…</translation>
    </message>
    <message numerus="yes">
        <source>Reconnecting in %n s</source>
        <translation>
            <numerusform>Переподключение через %n с</numerusform>
            <numerusform>Переподключение через %n с</numerusform>
            <numerusform>Переподключение через %n с</numerusform>
        </translation>
    </message>
    <message>
        <source>Reconnecting…</source>
        <translation>Переподключение…</translation>
    </message>
    <message>
        <source>Offline</source>
        <translation>Нет подключения</translation>
    </message>
    <message>
        <source>supervisor</source>
        <translation>супервайзер</translation>
    </message>
    <message>
        <source>operator</source>
        <translation>оператор</translation>
    </message>
</context>
<context>
    <name>Gui::TargetListEdit</name>
    <message>
        <source>&amp;Add target</source>
        <translation>&amp;Добавить адресата</translation>
    </message>
    <message>
        <source>Add target</source>
        <translation>Добавить адресата</translation>
    </message>
    <message numerus="yes">
        <source>Add another line (at most %n targets)</source>
        <translation>
            <numerusform>Добавить ещё строку (не больше %n адресата)</numerusform>
            <numerusform>Добавить ещё строку (не больше %n адресатов)</numerusform>
            <numerusform>Добавить ещё строку (не больше %n адресатов)</numerusform>
        </translation>
    </message>
    <message>
        <source>Target %1: %2</source>
        <extracomment>A problem with one line of several: &quot;Target 2: ...&quot;</extracomment>
        <translation>Адресат %1: %2</translation>
    </message>
    <message>
        <source>Target %1 repeats an earlier one</source>
        <translation>Адресат %1 повторяет одного из предыдущих</translation>
    </message>
    <message>
        <source>Enter at least one target</source>
        <translation>Введите хотя бы одного адресата</translation>
    </message>
    <message>
        <source>Enter a target</source>
        <translation>Введите адресата</translation>
    </message>
    <message numerus="yes">
        <source>At most %n targets</source>
        <translation>
            <numerusform>Не больше %n адресата</numerusform>
            <numerusform>Не больше %n адресатов</numerusform>
            <numerusform>Не больше %n адресатов</numerusform>
        </translation>
    </message>
    <message>
        <source>anna@contoso.com, an object id or +44 20 7946 0000</source>
        <translation>anna@contoso.com, идентификатор объекта или +44 20 7946 0000</translation>
    </message>
    <message>
        <source>Phone number %1</source>
        <translation>Телефонный номер %1</translation>
    </message>
    <message>
        <source>Teams user %1</source>
        <translation>Пользователь Teams %1</translation>
    </message>
    <message>
        <source>Target %1</source>
        <translation>Адресат %1</translation>
    </message>
    <message>
        <source>Remove target %1</source>
        <translation>Удалить адресата %1</translation>
    </message>
    <message>
        <source>Remove this target</source>
        <translation>Удалить этого адресата</translation>
    </message>
</context>
<context>
    <name>Gui::TargetParser</name>
    <message>
        <source>Enter a sign-in name, an object id or a phone number</source>
        <translation>Введите имя для входа, идентификатор объекта или телефонный номер</translation>
    </message>
    <message>
        <source>Write the number with its country code, starting with + (+44 20 7946 0000)</source>
        <translation>Укажите номер с кодом страны, начиная с + (+44 20 7946 0000)</translation>
    </message>
    <message>
        <source>A country code never starts with 0</source>
        <translation>Код страны не может начинаться с 0</translation>
    </message>
    <message>
        <source>Too short for a phone number with its country code</source>
        <translation>Слишком коротко для телефонного номера с кодом страны</translation>
    </message>
    <message>
        <source>A phone number has at most 15 digits</source>
        <translation>В телефонном номере не больше 15 цифр</translation>
    </message>
    <message>
        <source>“%1” is not a sign-in name like anna@contoso.com</source>
        <translation>«%1» — не имя для входа вида anna@contoso.com</translation>
    </message>
    <message>
        <source>Enter a sign-in name (anna@contoso.com), an Entra object id, or a phone number starting with +</source>
        <translation>Введите имя для входа (anna@contoso.com), идентификатор объекта Entra или телефонный номер, начинающийся с +</translation>
    </message>
</context>
<context>
    <name>Gui::TransferDialog</name>
    <message>
        <source>Transfer %1</source>
        <translation>Перевести: %1</translation>
    </message>
    <message>
        <source>&amp;Transfer</source>
        <translation>Пере&amp;вести</translation>
    </message>
    <message>
        <source>&amp;Blind: to a person or number</source>
        <translation>&amp;Без консультации: человеку или на номер</translation>
    </message>
    <message>
        <source>&amp;Consultative: to the party of another call</source>
        <translation>С &amp;консультацией: собеседнику из другого звонка</translation>
    </message>
    <message>
        <source>Blind transfer</source>
        <translation>Перевод без консультации</translation>
    </message>
    <message>
        <source>Consultative transfer</source>
        <translation>Перевод с консультацией</translation>
    </message>
    <message>
        <source>anna@contoso.com, an object id or +44 20 7946 0000</source>
        <translation>anna@contoso.com, идентификатор объекта или +44 20 7946 0000</translation>
    </message>
    <message>
        <source>Transfer target</source>
        <translation>Кому перевести</translation>
    </message>
    <message>
        <source>Consultation call</source>
        <translation>Консультационный звонок</translation>
    </message>
    <message>
        <source>T&amp;arget:</source>
        <translation>&amp;Кому:</translation>
    </message>
    <message>
        <source>C&amp;all:</source>
        <translation>&amp;Звонок:</translation>
    </message>
    <message>
        <source>%1, %2</source>
        <translation>%1, %2</translation>
    </message>
    <message>
        <source>There is no other established call to transfer to</source>
        <translation>Нет другого идущего разговора, на который можно перевести звонок</translation>
    </message>
    <message>
        <source>No other established call</source>
        <translation>Нет другого идущего разговора</translation>
    </message>
    <message>
        <source>Enter who to transfer the call to</source>
        <translation>Укажите, кому перевести звонок</translation>
    </message>
    <message>
        <source>Choose the consultation call</source>
        <translation>Выберите консультационный звонок</translation>
    </message>
    <message>
        <source>The consultation call&apos;s other party has no id Graph can transfer to</source>
        <translation>У собеседника в консультационном звонке нет идентификатора, на который Graph может перевести звонок</translation>
    </message>
</context>
<context>
    <name>Models::CallTexts</name>
    <message>
        <source>Incoming</source>
        <translation>Входящий</translation>
    </message>
    <message>
        <source>Ringing</source>
        <translation>Вызов</translation>
    </message>
    <message>
        <source>Connecting</source>
        <translation>Соединение</translation>
    </message>
    <message>
        <source>Established</source>
        <translation>Разговор</translation>
    </message>
    <message>
        <source>On hold</source>
        <translation>На удержании</translation>
    </message>
    <message>
        <source>Transferring</source>
        <translation>Перевод</translation>
    </message>
    <message>
        <source>Transfer accepted</source>
        <translation>Перевод принят</translation>
    </message>
    <message>
        <source>Redirecting</source>
        <translation>Переадресация</translation>
    </message>
    <message>
        <source>Ending</source>
        <translation>Завершается</translation>
    </message>
    <message>
        <source>Ended</source>
        <translation>Завершён</translation>
    </message>
    <message>
        <source>Unknown</source>
        <translation>Неизвестно</translation>
    </message>
    <message>
        <source>Ended (%1)</source>
        <extracomment>An ended call with Graph&apos;s result code, e.g. &quot;Ended (408)&quot;</extracomment>
        <translation>Завершён (%1)</translation>
    </message>
    <message>
        <source>Unknown %1</source>
        <extracomment>A caller whose phone number is known but not their name</extracomment>
        <translation>Неизвестный %1</translation>
    </message>
    <message>
        <source>Unknown caller</source>
        <translation>Неизвестный абонент</translation>
    </message>
    <message>
        <source>user</source>
        <translation>пользователь</translation>
    </message>
    <message>
        <source>application</source>
        <translation>приложение</translation>
    </message>
    <message>
        <source>device</source>
        <translation>устройство</translation>
    </message>
    <message>
        <source>application instance</source>
        <translation>экземпляр приложения</translation>
    </message>
    <message>
        <source>phone</source>
        <translation>телефон</translation>
    </message>
    <message>
        <source>guest</source>
        <translation>гость</translation>
    </message>
    <message>
        <source>encrypted</source>
        <translation>зашифрованный</translation>
    </message>
    <message>
        <source>on-premises user</source>
        <translation>локальный пользователь</translation>
    </message>
    <message>
        <source>asserted identity</source>
        <translation>подтверждённая личность</translation>
    </message>
    <message>
        <source>ACS user</source>
        <translation>пользователь ACS</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>неизвестно</translation>
    </message>
    <message>
        <source>—</source>
        <extracomment>Shown where there is nothing to show (no operator, no wait)</extracomment>
        <translation>—</translation>
    </message>
</context>
<context>
    <name>Models::CallsModel</name>
    <message>
        <source>Caller</source>
        <translation>Звонящий</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Состояние</translation>
    </message>
    <message>
        <source>Wait</source>
        <translation>Ожидание</translation>
    </message>
    <message>
        <source>How long a ringing call has waited and how long is left to answer it, or how long a call has lasted</source>
        <translation>Сколько ждёт входящий звонок и сколько осталось, чтобы на него ответить, или сколько длится разговор</translation>
    </message>
    <message>
        <source>Last event</source>
        <translation>Последнее событие</translation>
    </message>
    <message>
        <source>How long ago the relay last reported on the call</source>
        <translation>Как давно ретранслятор в последний раз сообщал о звонке</translation>
    </message>
    <message>
        <source>Handled by</source>
        <translation>Обработал</translation>
    </message>
    <message>
        <source>Direction</source>
        <translation>Направление</translation>
    </message>
    <message>
        <source>In</source>
        <extracomment>Call direction, short</extracomment>
        <translation>Вх.</translation>
    </message>
    <message>
        <source>Out</source>
        <extracomment>Call direction, short</extracomment>
        <translation>Исх.</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message numerus="yes">
        <source>%n s left to answer</source>
        <translation>
            <numerusform>На ответ осталось %n с</numerusform>
            <numerusform>На ответ осталось %n с</numerusform>
            <numerusform>На ответ осталось %n с</numerusform>
        </translation>
    </message>
    <message>
        <source>The answer deadline has passed</source>
        <translation>Срок для ответа истёк</translation>
    </message>
    <message numerus="yes">
        <source>Waiting for %n s</source>
        <translation>
            <numerusform>Ждёт %n с</numerusform>
            <numerusform>Ждёт %n с</numerusform>
            <numerusform>Ждёт %n с</numerusform>
        </translation>
    </message>
    <message>
        <source>The call has ended</source>
        <translation>Звонок завершён</translation>
    </message>
    <message>
        <source>Duration %1</source>
        <translation>Длительность %1</translation>
    </message>
    <message>
        <source>%1; no news for a while, the relay is checking the call</source>
        <translation>%1; давно нет новостей, ретранслятор проверяет звонок</translation>
    </message>
    <message>
        <source>Claimed by %1</source>
        <translation>Взят оператором %1</translation>
    </message>
    <message>
        <source>Handled by the relay&apos;s unattended policy</source>
        <translation>Обработан автоматически политикой ретранслятора</translation>
    </message>
    <message>
        <source>Handled by %1</source>
        <translation>Обработал %1</translation>
    </message>
    <message>
        <source>Nobody has taken this call</source>
        <translation>Этот звонок никто не взял</translation>
    </message>
    <message>
        <source>Outgoing call</source>
        <translation>Исходящий звонок</translation>
    </message>
    <message>
        <source>Incoming call</source>
        <translation>Входящий звонок</translation>
    </message>
    <message>
        <source>Direction unknown</source>
        <translation>Направление неизвестно</translation>
    </message>
    <message numerus="yes">
        <source>%n s</source>
        <comment>waited</comment>
        <extracomment>Seconds a ringing call has waited</extracomment>
        <translation>
            <numerusform>%n с</numerusform>
            <numerusform>%n с</numerusform>
            <numerusform>%n с</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 · overdue</source>
        <extracomment>A ringing call past its answer deadline</extracomment>
        <translation>%1 · просрочен</translation>
    </message>
    <message>
        <source>%1 · %2</source>
        <extracomment>Seconds waited · seconds left until the answer deadline</extracomment>
        <translation>%1 · %2</translation>
    </message>
    <message numerus="yes">
        <source>%n s left</source>
        <translation>
            <numerusform>ещё %n с</numerusform>
            <numerusform>ещё %n с</numerusform>
            <numerusform>ещё %n с</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>last event %n s ago</source>
        <translation>
            <numerusform>событие %n с назад</numerusform>
            <numerusform>событие %n с назад</numerusform>
            <numerusform>событие %n с назад</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>last event %n min ago</source>
        <translation>
            <numerusform>событие %n мин назад</numerusform>
            <numerusform>событие %n мин назад</numerusform>
            <numerusform>событие %n мин назад</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>last event %n h ago</source>
        <translation>
            <numerusform>событие %n ч назад</numerusform>
            <numerusform>событие %n ч назад</numerusform>
            <numerusform>событие %n ч назад</numerusform>
        </translation>
    </message>
    <message>
        <source>In the relay&apos;s IVR flow &apos;%1&apos;: %2</source>
        <translation>В голосовом меню ретранслятора «%1»: %2</translation>
    </message>
    <message>
        <source> </source>
        <extracomment>The keys a caller pressed in the IVR, as in &quot;pressed 1 2&quot;</extracomment>
        <translation> </translation>
    </message>
    <message>
        <source>IVR: sent to the operators</source>
        <translation>Меню: передан операторам</translation>
    </message>
    <message>
        <source>IVR: goodbye and hang-up</source>
        <translation>Меню: прощание и отбой</translation>
    </message>
    <message>
        <source>IVR: transferred to %1</source>
        <translation>Меню: переведён на %1</translation>
    </message>
    <message>
        <source>%1 (pressed %2)</source>
        <translation>%1 (нажато %2)</translation>
    </message>
    <message>
        <source>IVR: left a message</source>
        <translation>Меню: оставлено сообщение</translation>
    </message>
    <message>
        <source>IVR: taken over by %1 in menu &apos;%2&apos;</source>
        <translation>Меню: %1 забрал вызов в меню «%2»</translation>
    </message>
    <message>
        <source>In menu &apos;%1&apos;</source>
        <translation>В меню «%1»</translation>
    </message>
    <message>
        <source>In menu &apos;%1&apos;, pressed %2</source>
        <translation>В меню «%1», нажато %2</translation>
    </message>
</context>
<context>
    <name>Models::MeetingsModel</name>
    <message>
        <source>(no subject)</source>
        <translation>(без темы)</translation>
    </message>
    <message>
        <source>Subject</source>
        <translation>Тема</translation>
    </message>
    <message>
        <source>Starts</source>
        <translation>Начало</translation>
    </message>
    <message>
        <source>Ends</source>
        <translation>Конец</translation>
    </message>
    <message>
        <source>Organizer</source>
        <translation>Организатор</translation>
    </message>
</context>
<context>
    <name>Models::ParticipantsModel</name>
    <message>
        <source>%1 (muted by the server)</source>
        <translation>%1 (микрофон выключен сервером)</translation>
    </message>
    <message>
        <source>%1 (this call&apos;s bot)</source>
        <translation>%1 (бот этого звонка)</translation>
    </message>
    <message>
        <source>Muted</source>
        <translation>Без звука</translation>
    </message>
    <message>
        <source>Not muted</source>
        <translation>Со звуком</translation>
    </message>
    <message>
        <source>Waiting in the lobby</source>
        <translation>Ждёт в зале ожидания</translation>
    </message>
    <message>
        <source>In the call</source>
        <translation>В звонке</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Имя</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Тип</translation>
    </message>
    <message>
        <source>Lobby</source>
        <translation>Зал ожидания</translation>
    </message>
    <message>
        <source>Media</source>
        <translation>Медиа</translation>
    </message>
    <message>
        <source>In lobby</source>
        <translation>В зале ожидания</translation>
    </message>
</context>
<context>
    <name>Models::RemindersModel</name>
    <message>
        <source>Waiting to retry</source>
        <translation>Ждёт повтора</translation>
    </message>
    <message>
        <source>Waiting</source>
        <translation>Ждёт</translation>
    </message>
    <message>
        <source>Calling</source>
        <translation>Звонок</translation>
    </message>
    <message>
        <source>Played</source>
        <translation>Проиграно</translation>
    </message>
    <message>
        <source>No answer</source>
        <translation>Нет ответа</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Не удалось</translation>
    </message>
    <message>
        <source>Missed</source>
        <translation>Пропущено</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>Отменено</translation>
    </message>
    <message>
        <source>%1 (last: %2)</source>
        <translation>%1 (последний: %2)</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Время</translation>
    </message>
    <message>
        <source>Person</source>
        <translation>Кому</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Состояние</translation>
    </message>
    <message>
        <source>Attempts</source>
        <translation>Попытки</translation>
    </message>
    <message>
        <source>Created by</source>
        <translation>Создал(а)</translation>
    </message>
    <message>
        <source>Subject</source>
        <translation>Тема</translation>
    </message>
</context>
<context>
    <name>Models::TimelineModel</name>
    <message numerus="yes">
        <source>%1 and %n more</source>
        <extracomment>A list of names cut short: &quot;Anna, Ben, Chen and 7 more&quot;</extracomment>
        <translation>
            <numerusform>%1 и ещё %n</numerusform>
            <numerusform>%1 и ещё %n</numerusform>
            <numerusform>%1 и ещё %n</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <extracomment>An event and Graph&apos;s result: &quot;Transferring → Established (500/7000 Transfer failed)&quot;</extracomment>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>not started</source>
        <translation>не начато</translation>
    </message>
    <message>
        <source>running</source>
        <translation>выполняется</translation>
    </message>
    <message>
        <source>completed</source>
        <translation>завершено</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>не удалось</translation>
    </message>
    <message>
        <source>updated</source>
        <translation>обновлено</translation>
    </message>
    <message>
        <source>answered and put on hold</source>
        <translation>принят и поставлен на удержание</translation>
    </message>
    <message>
        <source>redirected</source>
        <translation>переадресован</translation>
    </message>
    <message>
        <source>rejected</source>
        <translation>отклонён</translation>
    </message>
    <message numerus="yes">
        <source>%n joined: %1</source>
        <translation>
            <numerusform>присоединился %n участник: %1</numerusform>
            <numerusform>присоединились %n участника: %1</numerusform>
            <numerusform>присоединились %n участников: %1</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n left: %1</source>
        <translation>
            <numerusform>вышел %n участник: %1</numerusform>
            <numerusform>вышли %n участника: %1</numerusform>
            <numerusform>вышли %n участников: %1</numerusform>
        </translation>
    </message>
    <message>
        <source>muted: %1</source>
        <translation>микрофон выключен: %1</translation>
    </message>
    <message>
        <source>unmuted: %1</source>
        <translation>микрофон включён: %1</translation>
    </message>
    <message numerus="yes">
        <source>%n participant(s) updated</source>
        <translation>
            <numerusform>обновлён %n участник</numerusform>
            <numerusform>обновлены %n участника</numerusform>
            <numerusform>обновлены %n участников</numerusform>
        </translation>
    </message>
    <message>
        <source>; </source>
        <extracomment>Separates the parts of one roster change</extracomment>
        <translation>; </translation>
    </message>
    <message>
        <source>Claimed by %1</source>
        <translation>Взят оператором %1</translation>
    </message>
    <message>
        <source>Claim released</source>
        <translation>Звонок отпущен</translation>
    </message>
    <message>
        <source>Relay policy: %1</source>
        <translation>Политика ретранслятора: %1</translation>
    </message>
    <message>
        <source>Handled by %1</source>
        <translation>Обработал %1</translation>
    </message>
    <message>
        <source>Gone from Graph: the relay ended the call</source>
        <translation>Звонок исчез из Graph: ретранслятор завершил его</translation>
    </message>
    <message>
        <source>Relay: %1</source>
        <translation>Ретранслятор: %1</translation>
    </message>
    <message>
        <source>Call appeared</source>
        <translation>Звонок появился</translation>
    </message>
    <message>
        <source>Call appeared: %1</source>
        <translation>Звонок появился: %1</translation>
    </message>
    <message>
        <source>%1 → %2</source>
        <translation>%1 → %2</translation>
    </message>
    <message>
        <source>Tone %1</source>
        <translation>Тон %1</translation>
    </message>
    <message>
        <source>Operation</source>
        <translation>Операция</translation>
    </message>
    <message>
        <source>%1 %2</source>
        <extracomment>An operation and its status: &quot;playPrompt completed&quot;
----------
A timeline row: time, then what happened</extracomment>
        <translation>%1 %2</translation>
    </message>
    <message>
        <source>Resynchronised: %1</source>
        <translation>Повторная синхронизация: %1</translation>
    </message>
    <message>
        <source>%1, event %2: %3</source>
        <translation>%1, событие %2: %3</translation>
    </message>
    <message>
        <source>IVR: in menu &apos;%1&apos;</source>
        <translation>Меню: в меню «%1»</translation>
    </message>
    <message>
        <source>IVR: pressed %1 in menu &apos;%2&apos;</source>
        <translation>Меню: нажата %1 в меню «%2»</translation>
    </message>
    <message>
        <source>IVR: pressed %1, not a choice in menu &apos;%2&apos;</source>
        <translation>Меню: нажата %1, такого пункта нет в меню «%2»</translation>
    </message>
    <message>
        <source>IVR: no key pressed in menu &apos;%1&apos;</source>
        <translation>Меню: в меню «%1» ничего не нажато</translation>
    </message>
    <message>
        <source>IVR: sent to the operators&apos; queue</source>
        <translation>Меню: передан в очередь операторов</translation>
    </message>
    <message>
        <source>IVR: goodbye prompt, then hang-up</source>
        <translation>Меню: прощальное сообщение, затем отбой</translation>
    </message>
    <message>
        <source>IVR: transferred to %1</source>
        <translation>Меню: переведён на %1</translation>
    </message>
    <message>
        <source>IVR: message recorded at %1</source>
        <translation>Меню: сообщение записано, адрес %1</translation>
    </message>
    <message>
        <source>IVR: taken out of the flow by %1</source>
        <translation>Меню: %1 вывел вызов из меню</translation>
    </message>
    <message>
        <source>IVR: %1</source>
        <translation>Меню: %1</translation>
    </message>
    <message>
        <source>Relay policy: answered into the IVR flow &apos;%1&apos;</source>
        <translation>Политика ретранслятора: принят в голосовое меню «%1»</translation>
    </message>
</context>
</TS>
