#include "playpromptdialog.h"

#include <QLabel>
#include <QLineEdit>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace Gui {

PlayPromptDialog::PlayPromptDialog(const QString &callerText, QWidget *parent)
    : ActionDialog(tr("Play a prompt to %1").arg(callerText), tr("&Play"), parent)
    , m_address(new QLineEdit(this))
{
    auto *label = new QLabel(tr("&Audio file address:"), this);
    label->setBuddy(m_address);
    m_address->setPlaceholderText(u"https://cdn.contoso.com/prompts/welcome.wav"_s);
    m_address->setAccessibleName(tr("Audio file address"));
    m_address->setClearButtonEnabled(true);
    auto *note = new QLabel(tr("Graph plays WAV files only: mono, 16-bit, 16 kHz. Microsoft's "
                               "cloud fetches the file, so the address must be reachable from "
                               "the internet."),
        this);
    note->setWordWrap(true);
    note->setAccessibleName(tr("Audio format"));
    body()->addWidget(label);
    body()->addWidget(m_address);
    body()->addWidget(note);
    connect(m_address, &QLineEdit::textChanged, this,
        [this](const QString &text) { setProblem(problemWith(text)); });
    setProblem(problemWith({}));
}

PlayPromptDialog::~PlayPromptDialog() = default;

QUrl PlayPromptDialog::prompt() const
{
    return QUrl(m_address->text().trimmed(), QUrl::StrictMode);
}

QString PlayPromptDialog::problemWith(const QString &typed)
{
    const QString text = typed.trimmed();
    if (text.isEmpty())
        return tr("Enter the address of a WAV file");
    const QUrl url(text, QUrl::StrictMode);
    if (!url.isValid())
        return tr("This is not a valid address");
    if (url.scheme() != "https"_L1 && url.scheme() != "http"_L1)
        return tr("The address must start with https:// or http://");
    if (url.host().isEmpty())
        return tr("The address needs a host name");
    if (url.path().isEmpty() || url.path() == "/"_L1)
        return tr("The address needs the file's path");
    return {};
}

} // namespace Gui
