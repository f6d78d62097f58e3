using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Newsroom.Search;

/// <summary>
/// At start: makes sure the Azure AI Search index exists with the current definition (fields, analyzer,
/// scoring), so a new deployment searches at once. The in-process engine needs nothing here: its first
/// search (or the SearchCatchUp timer) fills it from the tables.
/// </summary>
public sealed class SearchIndexSetup(ISearchEngine engine, IOptions<SearchEngineOptions> options) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) =>
        !options.Value.InProcess && engine is AzureSearchEngine azure ? azure.EnsureIndexAsync(cancellationToken) : Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
