using System.Text.Json;
using Newsroom.Articles;
using Newsroom.Homepage;
using Newsroom.IntegrationTests.Support;
using Newsroom.Json;
using Newsroom.LocalHost.Azurite;
using Newsroom.Publishing;

namespace Newsroom.IntegrationTests.Homepage;

public sealed class HomepageTests : IAsyncLifetime
{
    private NewsroomTestHost _host = null!;
    private HomepagePublisher Publisher => _host.Get<HomepagePublisher>();

    public async Task InitializeAsync()
    {
        _host = await NewsroomTestHost.CreateAsync();
        await Fixtures.SeedTaxonomyAsync(_host);
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private async Task<HomepageSnapshot> SnapshotAsync() =>
        JsonSerializer.Deserialize<HomepageSnapshot>((await _host.Get<HomepageStore>().GetSnapshotAsync(CancellationToken.None))!.Body, NewsroomJson.Options)!;

    private async Task SeedAsync(int count, string category = "thoi-su")
    {
        var now = _host.Time.GetUtcNow();
        for (var i = 0; i < count; i++)
        {
            await Fixtures.PublishAsync(_host, $"{category}-{i:D2}", $"Tin {category} số {i}", now.AddMinutes(-10 - i), category);
        }
    }

    [Fact]
    public async Task The_snapshot_has_top_stories_latest_and_sections_with_no_article_twice()
    {
        await SeedAsync(12, "thoi-su");
        await SeedAsync(6, "nong-nghiep");
        Assert.Equal(RebuildOutcome.Published, await Publisher.RebuildAsync(CancellationToken.None));

        var page = await SnapshotAsync();
        Assert.Equal(1, page.Version);
        Assert.Equal(5, page.TopStories.Count);
        Assert.Equal(10, page.Latest.Count);
        var ids = page.TopStories.Concat(page.Latest).Concat(page.Sections.SelectMany(s => s.Items)).Select(t => t.Id).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.Equal(18, ids.Count);
        Assert.Equal(page.TopStories.OrderByDescending(t => t.PublishedAt).Select(t => t.Id), page.TopStories.Select(t => t.Id));
    }

    [Fact]
    public async Task Pinned_stories_come_first_in_the_editors_order_and_are_never_deduplicated_away()
    {
        await SeedAsync(8);
        var layouts = _host.Get<HomepageLayoutService>();
        var (_, etag) = await layouts.GetAsync(DeskUsers.Publisher, CancellationToken.None);
        await layouts.SaveAsync(DeskUsers.Publisher, new HomepageLayout(["thoi-su-07", "thoi-su-03"], []), etag, CancellationToken.None);

        await Publisher.RebuildAsync(CancellationToken.None);
        var page = await SnapshotAsync();

        Assert.Equal(["thoi-su-07", "thoi-su-03", "thoi-su-00", "thoi-su-01", "thoi-su-02"], page.TopStories.Select(t => t.Id));
        Assert.DoesNotContain(page.Latest, t => t.Id is "thoi-su-07" or "thoi-su-03");
    }

    [Fact]
    public async Task Layout_changes_need_a_current_if_match_and_real_articles()
    {
        await SeedAsync(2);
        var layouts = _host.Get<HomepageLayoutService>();
        await Assert.ThrowsAsync<PreconditionRequiredException>(() => layouts.SaveAsync(DeskUsers.Publisher, HomepageLayout.Empty, null, CancellationToken.None));
        var (_, initial) = await layouts.GetAsync(DeskUsers.Publisher, CancellationToken.None);
        await layouts.SaveAsync(DeskUsers.Publisher, new HomepageLayout(["thoi-su-00"], []), initial, CancellationToken.None);
        await Assert.ThrowsAsync<PreconditionFailedException>(() => layouts.SaveAsync(DeskUsers.Publisher, HomepageLayout.Empty, initial, CancellationToken.None));

        var (_, current) = await layouts.GetAsync(DeskUsers.Publisher, CancellationToken.None);
        var e = await Assert.ThrowsAsync<ValidationException>(() => layouts.SaveAsync(DeskUsers.Publisher, new HomepageLayout(["khong-co"], ["thoi-su-01"]), current, CancellationToken.None));
        Assert.Equal(["featuredVideos[0]", "topStories[0]"], e.Errors!.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Links_are_kept_with_the_layout_in_order_and_served_in_the_snapshot_and_bad_ones_are_refused_by_field()
    {
        var layouts = _host.Get<HomepageLayoutService>();
        var (_, initial) = await layouts.GetAsync(DeskUsers.Publisher, CancellationToken.None);
        HomepageLink[] links =
        [
            new(" Cổng thông tin điện tử tỉnh ", "https://thainguyen.gov.vn/"),
            new("Báo Nhân Dân", "https://nhandan.vn"),
        ];
        var (saved, etag) = await layouts.SaveAsync(DeskUsers.Publisher, HomepageLayout.Empty with { Links = links }, initial, CancellationToken.None);
        Assert.Equal(["Cổng thông tin điện tử tỉnh", "Báo Nhân Dân"], saved.Links.Select(l => l.Title));
        Assert.Equal(saved.Links, (await layouts.GetAsync(DeskUsers.Publisher, CancellationToken.None)).Layout.Links);

        await _host.Get<HomepagePublisher>().RebuildAsync(CancellationToken.None);
        var snapshot = JsonDocument.Parse((await _host.Get<HomepageStore>().GetSnapshotAsync(CancellationToken.None))!.Body).RootElement;
        Assert.Equal(["https://thainguyen.gov.vn/", "https://nhandan.vn"], snapshot.GetProperty("links").EnumerateArray().Select(l => l.GetProperty("url").GetString()));
        Assert.Equal("Cổng thông tin điện tử tỉnh", snapshot.GetProperty("links")[0].GetProperty("title").GetString());

        var bad = HomepageLayout.Empty with
        {
            Links =
            [
                new("Trang không mã hóa", "http://example.vn"),
                new("", "https://example.vn"),
                new("Có mật khẩu", "https://user:pass@example.vn"),
                new("Tương đối", "/lien-ket"),
                new("Trùng", "https://nhandan.vn"),
                new("Trùng lần nữa", "https://NHANDAN.vn"),
            ],
        };
        var e = await Assert.ThrowsAsync<ValidationException>(() => layouts.SaveAsync(DeskUsers.Publisher, bad, etag, CancellationToken.None));
        Assert.Equal(["links", "links[0].url", "links[1].title", "links[2].url", "links[3].url"], e.Errors!.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(saved.Links, (await layouts.GetAsync(DeskUsers.Publisher, CancellationToken.None)).Layout.Links);
    }

    [Fact]
    public async Task Drafts_never_appear_and_a_scheduled_article_appears_with_the_first_rebuild_after_its_time()
    {
        await SeedAsync(3);
        var now = _host.Time.GetUtcNow();
        await Fixtures.PublishAsync(_host, "draft", "Bản nháp", now.AddMinutes(-1), status: ArticleStatus.Draft);
        await Fixtures.PublishAsync(_host, "later", "Tin hẹn giờ", now.AddMinutes(30), status: ArticleStatus.Scheduled);

        await Publisher.RebuildAsync(CancellationToken.None);
        var before = await SnapshotAsync();
        Assert.DoesNotContain(before.TopStories.Concat(before.Latest), t => t.Id is "draft" or "later");

        _host.Time.Advance(TimeSpan.FromMinutes(31));
        await Publisher.RebuildAsync(CancellationToken.None);
        var after = await SnapshotAsync();
        Assert.Equal("later", after.TopStories[0].Id);
        Assert.DoesNotContain(after.TopStories.Concat(after.Latest), t => t.Id == "draft");
    }

    [Fact]
    public async Task An_unchanged_homepage_is_not_rewritten_but_marked_fresh_as_of_the_rebuild()
    {
        await SeedAsync(3);
        Assert.Equal(RebuildOutcome.Published, await Publisher.RebuildAsync(CancellationToken.None));
        var first = await _host.Get<HomepageStore>().GetSnapshotAsync(CancellationToken.None);
        _host.Time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(RebuildOutcome.Unchanged, await Publisher.RebuildAsync(CancellationToken.None));
        var second = await _host.Get<HomepageStore>().GetSnapshotAsync(CancellationToken.None);
        Assert.Equal(first!.Body, second!.Body);
        Assert.Equal(1, second.Version);
        Assert.Equal(_host.Time.GetUtcNow(), second.AsOf);

        // So a request made before that rebuild is already covered: no second rebuild.
        Assert.Equal(RebuildOutcome.AlreadyFresh, await Publisher.RebuildIfOlderThanAsync(_host.Time.GetUtcNow().AddSeconds(-10), CancellationToken.None));
    }

    [Fact]
    public async Task Concurrent_rebuilds_end_with_the_newest_snapshot_and_versions_only_go_up()
    {
        await SeedAsync(4);
        await Publisher.RebuildAsync(CancellationToken.None);
        var versions = new List<long>();
        for (var round = 0; round < 5; round++)
        {
            await Fixtures.PublishAsync(_host, $"round-{round}", $"Tin vòng {round}", _host.Time.GetUtcNow().AddSeconds(-1));
            _host.Time.Advance(TimeSpan.FromSeconds(10));
            await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Publisher.RebuildAsync(CancellationToken.None)));
            var snapshot = await SnapshotAsync();
            Assert.Equal($"round-{round}", snapshot.TopStories[0].Id);
            versions.Add(snapshot.Version);
        }
        Assert.Equal(versions.Order(), versions);
        Assert.Equal(versions.Count, versions.Distinct().Count());
    }

    [Fact]
    public async Task A_rebuild_request_older_than_the_snapshot_is_coalesced()
    {
        await SeedAsync(2);
        var requested = _host.Time.GetUtcNow();
        _host.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(RebuildOutcome.Published, await Publisher.RebuildIfOlderThanAsync(requested, CancellationToken.None));
        Assert.Equal(RebuildOutcome.AlreadyFresh, await Publisher.RebuildIfOlderThanAsync(requested, CancellationToken.None));
        Assert.Equal(RebuildOutcome.AlreadyFresh, await Publisher.RebuildIfOlderThanAsync(requested.AddMilliseconds(500), CancellationToken.None));
    }

    [Fact]
    public async Task The_rebuild_reads_only_the_heads_of_the_listings()
    {
        // The homepage of 80 articles equals the homepage of their newest 30 plus untouched older archive:
        // proof by construction is the query shape (Take on a range scan); here we check its effect.
        await SeedAsync(80);
        await Publisher.RebuildAsync(CancellationToken.None);
        var page = await SnapshotAsync();
        Assert.All(page.TopStories.Concat(page.Latest), t => Assert.True(int.Parse(t.Id[^2..], System.Globalization.CultureInfo.InvariantCulture) < 15));
    }

    [Fact]
    public async Task The_rebuild_trims_each_head_to_its_size_while_the_archive_keeps_everything()
    {
        await using var host = await NewsroomTestHost.CreateAsync(new Dictionary<string, string?> { ["Homepage:HeadSize"] = "50" });
        await Fixtures.SeedTaxonomyAsync(host);
        var now = host.Time.GetUtcNow();
        for (var i = 0; i < 60; i++)
        {
            await Fixtures.PublishAsync(host, $"h{i:D2}", $"Tin {i}", now.AddMinutes(-1 - i));
        }

        await host.Get<HomepagePublisher>().RebuildAsync(CancellationToken.None);

        var listings = host.Get<Newsroom.Listings.ListingStore>();
        var head = await listings.ReadHeadAsync(Newsroom.Listings.ListingKey.All, now, 100, CancellationToken.None);
        var archive = await listings.ReadAsync(Newsroom.Listings.ListingKey.All, now, null, 100, CancellationToken.None);
        Assert.Equal(50, head.Count);
        Assert.Equal(60, archive.Count);
        Assert.Equal(archive.Take(50).Select(r => r.RowKey), head.Select(r => r.RowKey));
    }

    [Fact]
    public async Task Readers_get_the_snapshot_from_memory_and_keep_the_last_good_one_when_storage_is_down()
    {
        var azurite = await AzuriteServer.StartAsync(location: null);
        await using var host = await NewsroomTestHost.CreateAsync(connectionString: azurite.ConnectionString);
        await Fixtures.SeedTaxonomyAsync(host);
        await Fixtures.PublishAsync(host, "one", "Tin duy nhất", host.Time.GetUtcNow().AddMinutes(-1));
        var reader = host.Get<HomepageReader>();

        var first = await reader.GetAsync(CancellationToken.None);
        Assert.Contains("Tin duy nhất", System.Text.Encoding.UTF8.GetString(first.Body), StringComparison.Ordinal);

        await azurite.DisposeAsync();
        host.Time.Advance(TimeSpan.FromMinutes(5));
        Assert.Same(first, await reader.GetAsync(CancellationToken.None)); // starts a revalidation that fails
        host.Time.Advance(TimeSpan.FromMinutes(5));
        for (var i = 0; i < 20; i++)
        {
            Assert.Same(first, await reader.GetAsync(CancellationToken.None));
        }
    }

    [Fact]
    public async Task Readers_pick_up_a_newer_snapshot_after_the_revalidation_interval()
    {
        await SeedAsync(1);
        var reader = _host.Get<HomepageReader>();
        var first = await reader.GetAsync(CancellationToken.None);

        await Fixtures.PublishAsync(_host, "fresh", "Tin mới nhất", _host.Time.GetUtcNow());
        _host.Time.Advance(TimeSpan.FromSeconds(1));
        await Publisher.RebuildAsync(CancellationToken.None);
        Assert.Same(first, await reader.GetAsync(CancellationToken.None));

        _host.Time.Advance(TimeSpan.FromSeconds(5));
        // The first request after the interval starts a revalidation in the background; a later one gets its result.
        var second = await Eventually.PollAsync(() => reader.GetAsync(CancellationToken.None), p => p.ETag != first.ETag, "the newer snapshot");
        Assert.Contains("Tin mới nhất", System.Text.Encoding.UTF8.GetString(second.Body), StringComparison.Ordinal);
    }
}
