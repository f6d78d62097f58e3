using Microsoft.Azure.Functions.Worker;
using Newsroom.Homepage;
using Newsroom.Search;

namespace Newsroom.Functions.Search;

/// <summary>
/// Every refresh period, syncs search with the articles changed since the last pass: how changes written by
/// another process reach an in-process index, and a repair for the managed one.
/// </summary>
public sealed class SearchCatchUp(ArticleSearch search)
{
    [Function(nameof(SearchCatchUp))]
    public Task Run([TimerTrigger("%" + HomepageOptions.ScheduleSetting + "%")] TimerInfo timer, CancellationToken cancellationToken) =>
        search.CatchUpAsync(cancellationToken);
}
