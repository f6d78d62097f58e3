using Microsoft.Azure.Functions.Worker;
using Newsroom.Desk;
using Newsroom.Publishing;

namespace Newsroom.Functions.Articles;

/// <summary>
/// Every minute, scheduled articles whose time has come are recorded as published, and public ones whose
/// expiry has come as expired (by the system). Readers see both at their time without it; this keeps the desk
/// lists, the history, the listings and search true. Until it is done, a batch of the articles stored before
/// the desk existed is indexed for it first.
/// </summary>
public sealed class PublishScheduled(ArticleDesk desk, IndexBackfill backfill)
{
    [Function(nameof(PublishScheduled))]
    public async Task Run([TimerTrigger("0 */1 * * * *")] TimerInfo timer, CancellationToken cancellationToken)
    {
        await backfill.RunAsync(cancellationToken);
        await desk.PublishDueAsync(cancellationToken);
        await desk.ExpireDueAsync(cancellationToken);
    }
}
