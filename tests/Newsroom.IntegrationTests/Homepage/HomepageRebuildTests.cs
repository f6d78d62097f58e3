using System.Text.Json;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Newsroom.Articles;
using Newsroom.Homepage;
using Newsroom.IntegrationTests.Support;
using Newsroom.Json;
using Newsroom.Listings;
using Newsroom.Publishing;
using Newsroom.Storage;
using Newsroom.Taxonomy;

namespace Newsroom.IntegrationTests.Homepage;

/// <summary>The homepage rebuild on a busy day: bad data, racing rebuilds, bursts of requests, an archive of events.</summary>
public sealed class HomepageRebuildTests : IAsyncLifetime
{
    private readonly CapturedLogs _logs = new();
    private readonly StorageRequestCounter _requests = new();
    private NewsroomTestHost _host = null!;

    public async Task InitializeAsync()
    {
        _host = await NewsroomTestHost.CreateAsync(new Dictionary<string, string?> { ["Homepage:RepairGraceSeconds"] = "1" }, configure: services =>
        {
            _logs.AddTo(services);
            _requests.AddTo(services);
        });
        await Fixtures.SeedTaxonomyAsync(_host);
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private HomepagePublisher Publisher => _host.Get<HomepagePublisher>();

    private async Task<HomepageSnapshot> SnapshotAsync() =>
        JsonSerializer.Deserialize<HomepageSnapshot>((await _host.Get<HomepageStore>().GetSnapshotAsync(CancellationToken.None))!.Body, NewsroomJson.Options)!;

    /// <summary>Overwrites the stored document of an article with bytes that do not decode.</summary>
    private async Task CorruptAsync(string id)
    {
        var table = _host.Get<StorageClients>().Table(StorageNames.ArticlesTableName);
        var entity = (await table.GetEntityAsync<TableEntity>(id, ArticleStore.ArticleRowKey)).Value;
        var garbage = new byte[entity.GetBinary("Doc00")!.Length];
        Random.Shared.NextBytes(garbage);
        entity["Doc00"] = garbage;
        await table.UpdateEntityAsync(entity, entity.ETag, TableUpdateMode.Replace);
    }

    [Fact]
    public async Task An_outbox_entry_that_cannot_be_reindexed_is_retried_then_set_aside_with_an_error_while_every_rebuild_publishes()
    {
        var now = _host.Time.GetUtcNow();
        await Fixtures.PublishAsync(_host, "broken", "Bài hỏng", now.AddMinutes(-5));
        await CorruptAsync("broken");
        var outbox = _host.Get<IndexOutbox>();
        await outbox.MarkAsync("broken", now, CancellationToken.None);
        // An interrupted write of another article sits in the outbox beside it.
        var healthy = await Fixtures.PublishAsync(_host, "healthy", "Bài lành", now.AddMinutes(-4));
        await _host.Get<IndexOutbox>().MarkAsync("healthy", now, CancellationToken.None);
        await _host.Get<ListingStore>().DeleteAsync(ListingKey.All, ListingKey.RowKey(healthy.Article.PublishedAt!.Value, "healthy"), CancellationToken.None);

        var attempts = new HomepageOptions().MaxRepairAttempts;
        for (var rebuild = 1; rebuild <= attempts; rebuild++)
        {
            _host.Time.Advance(TimeSpan.FromMinutes(1));
            // Readers keep getting fresh homepages: the rebuild never fails on the broken entry.
            Assert.Contains(await Publisher.RebuildAsync(CancellationToken.None), new[] { RebuildOutcome.Published, RebuildOutcome.Unchanged });
            Assert.Equal(_host.Time.GetUtcNow(), (await _host.Get<HomepageStore>().GetSnapshotInfoAsync(CancellationToken.None))!.AsOf);
            Assert.Contains((await SnapshotAsync()).Latest.Concat((await SnapshotAsync()).TopStories), t => t.Id == "healthy");
            var pending = await outbox.PendingAsync(10, CancellationToken.None);
            if (rebuild < attempts)
            {
                Assert.Equal(rebuild, Assert.Single(pending).Attempts);
            }
            else
            {
                Assert.Empty(pending);
            }
        }

        var aside = Assert.Single(await outbox.SetAsideAsync(10, CancellationToken.None));
        Assert.Equal(("broken", attempts), (aside.ArticleId, aside.Attempts));
        Assert.False(string.IsNullOrEmpty(aside.LastError));
        var alert = Assert.Single(_logs.Entries, e => e.Level == LogLevel.Error && e.EventId.Id == 4007);
        Assert.Contains("broken", alert.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_repair_warns_of_interrupted_writes_and_not_of_photos_that_turned_ready_and_keeps_each_reason_through_a_failure()
    {
        var now = _host.Time.GetUtcNow();
        await Fixtures.PublishAsync(_host, "written", "Bài ghi dở", now.AddMinutes(-5));
        await Fixtures.PublishAsync(_host, "pictured", "Bài có ảnh vừa xong", now.AddMinutes(-4));
        await Fixtures.PublishAsync(_host, "broken", "Bài hỏng có ảnh", now.AddMinutes(-3));
        await CorruptAsync("broken");
        var outbox = _host.Get<IndexOutbox>();
        await outbox.MarkAsync("written", now, CancellationToken.None);
        await outbox.MarkAsync("pictured", now, OutboxReason.PhotoReady, CancellationToken.None);
        await outbox.MarkAsync("broken", now, OutboxReason.PhotoReady, CancellationToken.None);
        Assert.Equal(
            [("broken", OutboxReason.PhotoReady), ("pictured", OutboxReason.PhotoReady), ("written", OutboxReason.Write)],
            (await outbox.PendingAsync(10, CancellationToken.None)).Select(e => (e.ArticleId, e.Reason)).OrderBy(e => e.ArticleId, StringComparer.Ordinal));
        _host.Time.Advance(TimeSpan.FromMinutes(1));

        Assert.Equal(2, await Publisher.RepairAsync(CancellationToken.None));

        // One warning, for the one interrupted write; the photo is the everyday case (logged at Information).
        var warning = Assert.Single(_logs.Entries, e => e.EventId.Id == 4004);
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains("1 article", warning.Message, StringComparison.Ordinal);
        var failed = Assert.Single(await outbox.PendingAsync(10, CancellationToken.None));
        Assert.Equal(("broken", 1, OutboxReason.PhotoReady), (failed.ArticleId, failed.Attempts, failed.Reason));
    }

    [Fact]
    public async Task An_article_whose_overflow_document_is_gone_is_isolated_too()
    {
        var big = Fixtures.Article("huge", "Bài rất dài", publishedAt: _host.Time.GetUtcNow().AddMinutes(-3)) with
        {
            Blocks = [.. Enumerable.Range(0, 80).Select(_ => new ParagraphBlock(Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(15_000))))],
        };
        await _host.Get<ArticleWriter>().CreateAsync(big, CancellationToken.None);
        var container = _host.Get<StorageClients>().Container(StorageNames.ArticleDocumentsContainerName);
        await foreach (var blob in container.GetBlobsAsync())
        {
            await container.DeleteBlobAsync(blob.Name);
        }
        await _host.Get<IndexOutbox>().MarkAsync("huge", _host.Time.GetUtcNow(), CancellationToken.None);
        _host.Time.Advance(TimeSpan.FromMinutes(1));

        Assert.Equal(RebuildOutcome.Published, await Publisher.RebuildAsync(CancellationToken.None));
        Assert.Equal(1, Assert.Single(await _host.Get<IndexOutbox>().PendingAsync(10, CancellationToken.None)).Attempts);
    }

    [Fact]
    public async Task A_pinned_article_that_does_not_decode_is_left_out_rather_than_taking_the_homepage_down()
    {
        await Fixtures.PublishAsync(_host, "pinned", "Bài ghim", _host.Time.GetUtcNow().AddMinutes(-5));
        await Fixtures.PublishAsync(_host, "other", "Bài khác", _host.Time.GetUtcNow().AddMinutes(-6));
        var layouts = _host.Get<HomepageLayoutService>();
        var (_, etag) = await layouts.GetAsync(DeskUsers.Publisher, CancellationToken.None);
        await layouts.SaveAsync(DeskUsers.Publisher, new HomepageLayout(["pinned"], []), etag, CancellationToken.None);
        await CorruptAsync("pinned");

        Assert.Equal(RebuildOutcome.Published, await Publisher.RebuildAsync(CancellationToken.None));
        Assert.Contains((await SnapshotAsync()).TopStories, t => t.Id == "other");
    }

    [Fact]
    public async Task A_burst_of_twenty_requests_makes_one_rebuild_whether_or_not_the_page_changed()
    {
        await Fixtures.PublishAsync(_host, "a1", "Tin một", _host.Time.GetUtcNow().AddMinutes(-2));
        foreach (var changed in new[] { true, false })
        {
            if (changed)
            {
                await Fixtures.PublishAsync(_host, "a2", "Tin hai", _host.Time.GetUtcNow().AddMinutes(-1));
            }
            _host.Time.Advance(TimeSpan.FromSeconds(30));
            var requestedAt = _host.Time.GetUtcNow();
            // As the queue trigger runs them: up to batchSize + newBatchThreshold at once, all asking for "now".
            var outcomes = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(() => Publisher.RebuildIfOlderThanAsync(requestedAt, CancellationToken.None))));
            Assert.Equal(1, outcomes.Count(o => o != RebuildOutcome.AlreadyFresh));
            Assert.Equal(changed ? RebuildOutcome.Published : RebuildOutcome.Unchanged, outcomes.Single(o => o != RebuildOutcome.AlreadyFresh));
        }
    }

    [Fact]
    public async Task Two_instances_rebuilding_at_once_while_articles_are_published_never_fail_and_the_newest_wins()
    {
        var settings = new Dictionary<string, string?> { ["Homepage:HeadSize"] = "50" };
        await using var other = await NewsroomTestHost.CreateAsync(settings, _host.ConnectionString);
        other.Time.SetUtcNow(_host.Time.GetUtcNow());
        var start = _host.Time.GetUtcNow();
        for (var i = 0; i < 60; i++)
        {
            await Fixtures.PublishAsync(_host, $"old{i:D2}", $"Tin cũ {i}", start.AddHours(-1).AddMinutes(-i));
        }

        var publishing = Task.Run(async () =>
        {
            for (var i = 0; i < 10; i++)
            {
                await Fixtures.PublishAsync(_host, $"new{i}", $"Tin mới {i}", start.AddSeconds(-10 + i));
            }
        });
        var rebuilders = new[] { _host, other }.Select(h => Task.Run(async () =>
        {
            var hostPublisher = h.Get<HomepagePublisher>();
            var outcomes = new List<RebuildOutcome>();
            while (!publishing.IsCompleted)
            {
                outcomes.Add(await hostPublisher.RebuildAsync(CancellationToken.None));
            }
            return outcomes;
        })).ToList();
        await publishing;
        var all = (await Task.WhenAll(rebuilders)).SelectMany(o => o).ToList();
        Assert.NotEmpty(all);

        _host.Time.Advance(TimeSpan.FromSeconds(1));
        other.Time.SetUtcNow(_host.Time.GetUtcNow());
        await other.Get<HomepagePublisher>().RebuildAsync(CancellationToken.None);
        Assert.Equal("new9", (await SnapshotAsync()).TopStories[0].Id);
        Assert.True((await _host.Get<ListingStore>().ReadHeadAsync(ListingKey.All, _host.Time.GetUtcNow(), 100, CancellationToken.None)).Count <= 50);
    }

    [Fact]
    public async Task Concurrent_trims_of_one_head_are_not_an_error()
    {
        var now = _host.Time.GetUtcNow();
        for (var i = 0; i < 40; i++)
        {
            await Fixtures.PublishAsync(_host, $"t{i:D2}", $"Tin {i}", now.AddMinutes(-1 - i));
        }
        var listings = _host.Get<ListingStore>();
        await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(() => listings.TrimHeadAsync(ListingKey.All, 5, CancellationToken.None))));
        Assert.Equal(5, (await listings.ReadHeadAsync(ListingKey.All, now, 100, CancellationToken.None)).Count);
    }

    [Fact]
    public async Task Five_hundred_old_events_cost_the_rebuild_nothing()
    {
        var now = _host.Time.GetUtcNow();
        await Fixtures.PublishAsync(_host, "recent", "Tin mới về chuyển đổi số", now.AddMinutes(-5), events: ["chuyen-doi-so"]);
        await Publisher.RebuildAsync(CancellationToken.None);
        _host.Time.Advance(TimeSpan.FromMinutes(1));
        _requests.Reset();
        await Publisher.RebuildAsync(CancellationToken.None);
        var before = _requests.Count;

        var taxonomy = _host.Get<TaxonomyStore>();
        await Task.WhenAll(Enumerable.Range(0, 500).Select(i => taxonomy.UpsertAsync(new NewsEvent($"su-kien-cu-{i:D3}", $"Sự kiện cũ {i}"), CancellationToken.None)));
        _host.Time.Advance(TimeSpan.FromMinutes(1));
        _requests.Reset();
        await Publisher.RebuildAsync(CancellationToken.None);

        Assert.Equal(before, _requests.Count);
        Assert.DoesNotContain(_requests.Requests, r => r.Contains("su-kien-cu", StringComparison.Ordinal));
        Assert.Equal("chuyen-doi-so", Assert.Single((await SnapshotAsync()).Events).Event.Slug);
    }
}
