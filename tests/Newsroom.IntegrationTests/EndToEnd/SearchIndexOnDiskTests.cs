using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Newsroom.IntegrationTests.Support;
using Newsroom.Search;
using Newsroom.UnitTests.Search;

namespace Newsroom.IntegrationTests.EndToEnd;

/// <summary>
/// The local host with the search index on disk (Search:LucenePath): the worker alone holds it, and it is whole
/// after the host stops. Both processes used to open it, and each deleted segment files the other's commits needed.
/// </summary>
public sealed class SearchIndexOnDiskTests
{
    [Fact]
    public async Task The_worker_alone_holds_an_index_on_disk_and_leaves_it_whole()
    {
        var path = Path.Combine(Path.GetTempPath(), "newsroom-e2e-index-" + Guid.NewGuid().ToString("N"));
        var lockFile = Path.Combine(path, LuceneSearchEngine.ProcessLockFile);
        try
        {
            long total; // what the worker's index found; indexing may still add to it, never take away
            await using (var host = await TestLocalHost.StartAsync(new Dictionary<string, string?>(TestLocalHost.BusyMachineDeadlines)
            {
                ["LocalHost:AzuriteInMemory"] = "true",
                ["LocalHost:DemoArticles"] = "12",
                ["Search:LucenePath"] = path,
            }))
            {
                using var client = TestLocalHost.ClientFor(host);
                var page = await Eventually.PollAsync(async () => JsonDocument.Parse(await client.GetStringAsync("/api/search?q=thai%20nguyen")).RootElement.Clone(),
                    p => p.GetProperty("total").GetInt64() > 1, "the demo paper in the index on disk");
                total = page.GetProperty("total").GetInt64();
                Assert.Equal(1, await IndexLock.FlockAsync(lockFile)); // held, by the worker: the host process could start beside it
            }
            Assert.Equal(0, await IndexLock.FlockAsync(lockFile));
            using var engine = new LuceneSearchEngine(path, NullLogger<LuceneSearchEngine>.Instance, lockWait: TimeSpan.Zero);
            var reopened = await engine.SearchAsync(new SearchQuery("thai nguyen", null, null, null, null, SearchSort.Relevance, 20, 0), DateTimeOffset.UtcNow, default);
            Assert.True(reopened.Total >= total, $"the reopened index finds {reopened.Total} where the worker found {total}");
        }
        finally
        {
            Directory.Delete(path, recursive: true);
        }
    }
}
