using Microsoft.Azure.Functions.Worker;
using Newsroom.Desk;

namespace Newsroom.Functions.Articles;

/// <summary>
/// Every minute, scheduled articles whose time has come are recorded as published (by the system). Readers
/// already see them at their time without it; this keeps the desk lists and the history true.
/// </summary>
public sealed class PublishScheduled(ArticleDesk desk)
{
    [Function(nameof(PublishScheduled))]
    public Task Run([TimerTrigger("0 */1 * * * *")] TimerInfo timer, CancellationToken cancellationToken) =>
        desk.PublishDueAsync(cancellationToken);
}
