#pragma once

#include <QWidget>

namespace Gui {

//! The strip that says the console runs against the embedded sandbox: simulated calls, nothing
//! reaches Teams. Highlight colours, a flask icon and the words, so it cannot be mistaken.
class SandboxBanner final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SandboxBanner)

public:
    explicit SandboxBanner(QWidget *parent = nullptr);
    ~SandboxBanner() override;
};

} // namespace Gui
