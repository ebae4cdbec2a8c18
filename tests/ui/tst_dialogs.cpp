// Tests of the action dialogs: targets checked as they are typed, the ring time's bounds, the
// requests the dialogs produce, and the consultation calls a transfer offers.

#include "ui/dialogs/invitedialog.h"
#include "ui/dialogs/playpromptdialog.h"
#include "ui/dialogs/redirectdialog.h"
#include "ui/dialogs/targetinput.h"
#include "ui/dialogs/transferdialog.h"
#include "uifixtures.h"

#include <QCheckBox>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace UiFixtures;
using Gui::CallTarget;
using Gui::TargetParser;

class TstDialogs final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void goodTargets_data();
    void goodTargets();
    void badTargets_data();
    void badTargets();
    void redirectValidatesAsYouType();
    void redirectTimeoutBounds_data();
    void redirectTimeoutBounds();
    void redirectRequestValues();
    void redirectRefusesRepeatedTargets();
    void inviteTakesOneToFive();
    void transferBlindRequest();
    void transferConsultativeListsOnlyOtherEstablishedCalls();
    void transferConsultativeNeedsAnotherCall();
    void playPromptAddress_data();
    void playPromptAddress();
    void dialogShowsGraphsError();
};

void TstDialogs::goodTargets_data()
{
    QTest::addColumn<QString>("typed");
    QTest::addColumn<int>("kind");
    QTest::addColumn<QString>("id");

    const int user = int(CallTarget::Kind::User);
    const int phone = int(CallTarget::Kind::Phone);
    QTest::newRow("upn") << u"anna@contoso.com"_s << user << u"anna@contoso.com"_s;
    QTest::newRow("upn with dots and plus")
        << u"first.last+desk@sub.contoso.co.uk"_s << user << u"first.last+desk@sub.contoso.co.uk"_s;
    QTest::newRow("upn with spaces around")
        << u"  anna@contoso.com "_s << user << u"anna@contoso.com"_s;
    QTest::newRow("object id") << u"5f3c1a2b-9d4e-4c8a-b1f2-0e6d7c8b9a01"_s << user
                               << u"5f3c1a2b-9d4e-4c8a-b1f2-0e6d7c8b9a01"_s;
    QTest::newRow("object id in braces, upper case")
        << u"{5F3C1A2B-9D4E-4C8A-B1F2-0E6D7C8B9A01}"_s << user
        << u"5f3c1a2b-9d4e-4c8a-b1f2-0e6d7c8b9a01"_s;
    QTest::newRow("uk number spaced") << u"+44 20 7946 0000"_s << phone << u"+442079460000"_s;
    QTest::newRow("us number punctuated") << u"+1 (555) 010-0100"_s << phone << u"+15550100100"_s;
    QTest::newRow("russian number") << u"+7 495 123-45-67"_s << phone << u"+74951234567"_s;
    QTest::newRow("fifteen digits") << u"+123456789012345"_s << phone << u"+123456789012345"_s;
}

void TstDialogs::goodTargets()
{
    QFETCH(QString, typed);
    QFETCH(int, kind);
    QFETCH(QString, id);

    const Gui::ParsedTarget parsed = TargetParser::parse(typed);

    QVERIFY2(parsed.target, qPrintable(parsed.problem));
    QCOMPARE(int(parsed.target->kind), kind);
    QCOMPARE(parsed.target->id, id);
    QVERIFY(parsed.problem.isEmpty());
}

void TstDialogs::badTargets_data()
{
    QTest::addColumn<QString>("typed");
    QTest::addColumn<QString>("problem");

    QTest::newRow("empty") << QString() << u"Enter"_s;
    QTest::newRow("number without country code") << u"020 7946 0000"_s << u"country code"_s;
    QTest::newRow("country code zero") << u"+0 20 7946 0000"_s << u"never starts with 0"_s;
    QTest::newRow("too short") << u"+12345"_s << u"Too short"_s;
    QTest::newRow("too long") << u"+1234567890123456"_s << u"at most 15 digits"_s;
    QTest::newRow("letters in a number") << u"+44 20 abc"_s << u"Enter a sign-in name"_s;
    QTest::newRow("upn without domain") << u"anna@"_s << u"not a sign-in name"_s;
    QTest::newRow("upn without dot") << u"anna@contoso"_s << u"not a sign-in name"_s;
    QTest::newRow("upn with space") << u"anna smith@contoso.com"_s << u"not a sign-in name"_s;
    QTest::newRow("a bare name") << u"anna"_s << u"Enter a sign-in name"_s;
    QTest::newRow("half a guid") << u"5f3c1a2b-9d4e-4c8a"_s << u"Enter a sign-in name"_s;
}

void TstDialogs::badTargets()
{
    QFETCH(QString, typed);
    QFETCH(QString, problem);

    const Gui::ParsedTarget parsed = TargetParser::parse(typed);

    QVERIFY(!parsed.target);
    QVERIFY2(parsed.problem.contains(problem), qPrintable(parsed.problem));
}

void TstDialogs::redirectValidatesAsYouType()
{
    Gui::RedirectDialog dialog(u"Kenji Watanabe"_s);
    QLineEdit *line = dialog.targets()->lineEdit(0);
    QVERIFY(!dialog.okButton()->isEnabled());
    QVERIFY(!dialog.problem().isEmpty());

    QTest::keyClicks(line, u"anna@"_s);
    QVERIFY(!dialog.okButton()->isEnabled());
    QVERIFY2(dialog.problem().contains(u"not a sign-in name"_s), qPrintable(dialog.problem()));
    QVERIFY(line->toolTip().contains(u"not a sign-in name"_s));

    QTest::keyClicks(line, u"contoso.com"_s);
    QVERIFY(dialog.okButton()->isEnabled());
    QVERIFY(dialog.problem().isEmpty());
    QVERIFY(line->toolTip().contains(u"anna@contoso.com"_s));

    QTest::keyClick(line, Qt::Key_Backspace);
    QTest::keyClick(line, Qt::Key_Backspace);
    QTest::keyClick(line, Qt::Key_Backspace);
    QVERIFY(!dialog.okButton()->isEnabled());
}

void TstDialogs::redirectTimeoutBounds_data()
{
    QTest::addColumn<int>("seconds");
    QTest::addColumn<bool>("accepted");

    QTest::newRow("14") << 14 << false;
    QTest::newRow("15") << 15 << true;
    QTest::newRow("45") << 45 << true;
    QTest::newRow("90") << 90 << true;
    QTest::newRow("91") << 91 << false;
}

void TstDialogs::redirectTimeoutBounds()
{
    QFETCH(int, seconds);
    QFETCH(bool, accepted);
    Gui::RedirectDialog dialog(u"Kenji Watanabe"_s);
    dialog.targets()->setTexts({ u"+44 20 7946 0000"_s });
    dialog.timeoutBox()->setChecked(true);

    dialog.timeoutSpin()->setValue(seconds);

    QCOMPARE(dialog.timeoutSpin()->value(), seconds);
    QCOMPARE(dialog.okButton()->isEnabled(), accepted);
    QCOMPARE(dialog.problem().isEmpty(), accepted);
    if (!accepted)
        QVERIFY(dialog.problem().contains(u"between 15 and 90 seconds"_s));
    else
        QCOMPARE(dialog.request().timeoutSeconds, seconds);
}

void TstDialogs::redirectRequestValues()
{
    Gui::RedirectDialog dialog(u"Kenji Watanabe"_s);
    dialog.show();
    dialog.targets()->setTexts({ u"anna@contoso.com"_s, u"+44 20 7946 0000"_s });

    Gui::RedirectRequest request = dialog.request();
    QCOMPARE(request.targets.size(), 2);
    QCOMPARE(request.targets.at(0).kind, CallTarget::Kind::User);
    QCOMPARE(request.targets.at(0).id, u"anna@contoso.com"_s);
    QCOMPARE(request.targets.at(1).kind, CallTarget::Kind::Phone);
    QCOMPARE(request.targets.at(1).id, u"+442079460000"_s);
    QCOMPARE(request.timeoutSeconds, 0); // Graph's default unless limited
    QVERIFY(dialog.okButton()->isEnabled());
    // Several targets ring at once, and the dialog says so.
    const auto labels = dialog.findChildren<QLabel *>();
    const bool told = std::any_of(labels.cbegin(), labels.cend(), [](const QLabel *label) {
        return label->isVisible() && label->text().contains(u"ring at once"_s);
    });
    QVERIFY(told);

    dialog.timeoutBox()->setChecked(true);
    dialog.timeoutSpin()->setValue(20);
    QCOMPARE(dialog.request().timeoutSeconds, 20);
}

void TstDialogs::redirectRefusesRepeatedTargets()
{
    Gui::RedirectDialog dialog(u"Kenji Watanabe"_s);
    dialog.targets()->setTexts({ u"+44 20 7946 0000"_s, u"+442079460000"_s });

    QVERIFY(!dialog.okButton()->isEnabled());
    QVERIFY(dialog.problem().contains(u"repeats"_s));
}

void TstDialogs::inviteTakesOneToFive()
{
    Gui::InviteDialog dialog(u"Irina Smirnova"_s);
    Gui::TargetListEdit *targets = dialog.targets();
    QVERIFY(!dialog.okButton()->isEnabled());

    for (int i = 1; i < Gui::InviteDialog::MaxTargets; ++i)
        targets->addLine();
    QCOMPARE(targets->lineCount(), 5);
    QVERIFY(!targets->addButton()->isEnabled());
    targets->addLine();
    QCOMPARE(targets->lineCount(), 5);

    QStringList five;
    for (int i = 1; i <= 5; ++i)
        five.append(u"person%1@contoso.com"_s.arg(i));
    targets->setTexts(five);
    QVERIFY(dialog.okButton()->isEnabled());
    const Gui::InviteRequest request = dialog.request();
    QCOMPARE(request.participants.size(), 5);
    QCOMPARE(request.participants.at(4).id, u"person5@contoso.com"_s);

    targets->setTexts({ u"person1@contoso.com"_s });
    QCOMPARE(targets->lineCount(), 1);
    QCOMPARE(dialog.request().participants.size(), 1);
}

void TstDialogs::transferBlindRequest()
{
    Console console;
    console.established(1, Who::user(u"Irina Smirnova"_s));
    Gui::TransferDialog dialog(&console.store, callId(1), u"Irina Smirnova"_s);
    QCOMPARE(dialog.mode(), Gui::TransferDialog::Mode::Blind);
    QVERIFY(!dialog.okButton()->isEnabled());

    QTest::keyClicks(dialog.targetEdit(), u"+44 20 7946 0000"_s);

    QVERIFY(dialog.okButton()->isEnabled());
    const Gui::TransferRequest request = dialog.request();
    QCOMPARE(request.target.kind, CallTarget::Kind::Phone);
    QCOMPARE(request.target.id, u"+442079460000"_s);
    QVERIFY(request.replacesCallId.isEmpty());
}

void TstDialogs::transferConsultativeListsOnlyOtherEstablishedCalls()
{
    Console console;
    console.established(1, Who::user(u"Irina Smirnova"_s)); // the call to transfer
    console.notify(10, outgoingCall(callId(2), Who::user(u"Amelia Koch"_s)));
    console.notify(11, callUpdated(callId(2), u"established"_s)); // the consultation
    console.ringing(3, Who::phone(u"+15550100"_s), 12); // ringing: not offered
    console.held(4, Who::user(u"Lena Vogel"_s), 13); // on hold: not offered
    console.ended(5, Who::user(u"Kenji Watanabe"_s), 14); // ended: not offered
    Gui::TransferDialog dialog(&console.store, callId(1), u"Irina Smirnova"_s);

    QCOMPARE(dialog.consultationCallIds(), QStringList { callId(2) });
    QCOMPARE(dialog.consultationBox()->count(), 1);
    QVERIFY(dialog.consultationBox()->itemText(0).contains(u"Amelia Koch"_s));

    dialog.setMode(Gui::TransferDialog::Mode::Consultative);
    QVERIFY(dialog.okButton()->isEnabled());
    const Gui::TransferRequest request = dialog.request();
    QCOMPARE(request.replacesCallId, callId(2));
    QCOMPARE(request.target.kind, CallTarget::Kind::User);
    QCOMPARE(request.target.id, u"oid-amelia-koch"_s);
    QCOMPARE(request.target.displayName, u"Amelia Koch"_s);
}

void TstDialogs::transferConsultativeNeedsAnotherCall()
{
    Console console;
    console.established(1, Who::user(u"Irina Smirnova"_s));
    Gui::TransferDialog dialog(&console.store, callId(1), u"Irina Smirnova"_s);

    QVERIFY(dialog.consultationCallIds().isEmpty());
    dialog.setMode(Gui::TransferDialog::Mode::Consultative);
    QCOMPARE(dialog.mode(), Gui::TransferDialog::Mode::Blind); // the choice is disabled
}

void TstDialogs::playPromptAddress_data()
{
    QTest::addColumn<QString>("address");
    QTest::addColumn<bool>("accepted");

    QTest::newRow("https") << u"https://cdn.contoso.com/prompts/welcome.wav"_s << true;
    QTest::newRow("http") << u"http://prompts.contoso.com/hold.wav"_s << true;
    QTest::newRow("empty") << QString() << false;
    QTest::newRow("ftp") << u"ftp://contoso.com/welcome.wav"_s << false;
    QTest::newRow("a bare file name") << u"welcome.wav"_s << false;
    QTest::newRow("no path") << u"https://contoso.com"_s << false;
}

void TstDialogs::playPromptAddress()
{
    QFETCH(QString, address);
    QFETCH(bool, accepted);
    Gui::PlayPromptDialog dialog(u"Irina Smirnova"_s);

    QTest::keyClicks(dialog.addressEdit(), address);

    QCOMPARE(dialog.okButton()->isEnabled(), accepted);
    if (accepted)
        QCOMPARE(dialog.prompt(), QUrl(address));
}

void TstDialogs::dialogShowsGraphsError()
{
    Gui::RedirectDialog dialog(u"Kenji Watanabe"_s);
    dialog.targets()->setTexts({ u"anna@contoso.com"_s });
    QVERIFY(dialog.errorText().isEmpty());

    dialog.showError({ callId(1), u"redirect"_s, false, 403, u"7503"_s,
        u"The target is not allowed"_s, u"3f2a9c1e-req"_s });

    const QString error = dialog.errorText();
    QVERIFY2(error.contains(u"The target is not allowed"_s), qPrintable(error));
    QVERIFY(error.contains(u"7503"_s));
    QVERIFY(error.contains(u"3f2a9c1e-req"_s));
    QVERIFY(error.contains(u"403"_s));
    // What was typed stays.
    QCOMPARE(dialog.targets()->texts(), QStringList { u"anna@contoso.com"_s });
}

QTEST_MAIN(TstDialogs)
#include "tst_dialogs.moc"
