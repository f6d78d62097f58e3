using System.Text.Json;
using Newsroom.Articles;
using Newsroom.IntegrationTests.Support;
using Newsroom.Json;
using Newsroom.Reading;

namespace Newsroom.IntegrationTests.Reading;

public sealed class ListingReaderTests : IAsyncLifetime
{
    private NewsroomTestHost _host = null!;

    public async Task InitializeAsync()
    {
        _host = await NewsroomTestHost.CreateAsync();
        await Fixtures.SeedTaxonomyAsync(_host);
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private async Task<ListingPage> PageAsync(ListingKind kind, string slug, string? limit = null, string? cursor = null) =>
        JsonSerializer.Deserialize<ListingPage>((await _host.Get<ListingReader>().GetPageAsync(kind, slug, limit, cursor, CancellationToken.None)).Page!.Body, NewsroomJson.Options)!;

    [Fact]
    public async Task Pages_walk_the_whole_listing_newest_first_without_gaps_or_repeats()
    {
        var now = _host.Time.GetUtcNow();
        await Parallel.ForEachAsync(Enumerable.Range(0, 45), async (i, _) =>
            await Fixtures.PublishAsync(_host, $"p{i:D2}", $"Tin số {i}", now.AddMinutes(-i), "kinh-te"));

        var seen = new List<string>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await PageAsync(ListingKind.Category, "kinh-te", "20", cursor);
            seen.AddRange(page.Items.Select(t => t.Id));
            cursor = page.NextCursor;
            pages++;
        }
        while (cursor is not null && pages < 10);

        Assert.Equal(3, pages);
        Assert.Equal(Enumerable.Range(0, 45).Select(i => $"p{i:D2}"), seen);
    }

    [Fact]
    public async Task Default_page_size_is_20_and_the_last_page_has_no_cursor()
    {
        var now = _host.Time.GetUtcNow();
        for (var i = 0; i < 21; i++)
        {
            await Fixtures.PublishAsync(_host, $"d{i:D2}", $"Tin {i}", now.AddMinutes(-i), "thoi-su");
        }
        var first = await PageAsync(ListingKind.Category, "thoi-su");
        Assert.Equal(20, first.Items.Count);
        var last = await PageAsync(ListingKind.Category, "thoi-su", cursor: first.NextCursor);
        Assert.Single(last.Items);
        Assert.Null(last.NextCursor);
    }

    [Fact]
    public async Task A_sub_section_article_is_listed_in_its_parent_section_and_its_events()
    {
        await Fixtures.PublishAsync(_host, "nn1", "Vụ chè cuối năm", _host.Time.GetUtcNow().AddMinutes(-5), "nong-nghiep", ["chuyen-doi-so"]);
        Assert.Equal("nn1", Assert.Single((await PageAsync(ListingKind.Category, "nong-nghiep")).Items).Id);
        var parent = Assert.Single((await PageAsync(ListingKind.Category, "kinh-te")).Items);
        Assert.Equal("Nông nghiệp", parent.Category.Name);
        Assert.Equal("nn1", Assert.Single((await PageAsync(ListingKind.Event, "chuyen-doi-so")).Items).Id);
    }

    [Fact]
    public async Task Drafts_never_appear_and_a_scheduled_article_appears_once_its_time_passes()
    {
        var now = _host.Time.GetUtcNow();
        await Fixtures.PublishAsync(_host, "live", "Đang lên trang", now.AddMinutes(-1));
        await Fixtures.PublishAsync(_host, "draft", "Bản nháp", now.AddMinutes(-2), status: ArticleStatus.Draft);
        await Fixtures.PublishAsync(_host, "later", "Hẹn giờ", now.AddHours(2), status: ArticleStatus.Scheduled);

        Assert.Equal(["live"], (await PageAsync(ListingKind.Category, "thoi-su")).Items.Select(t => t.Id));

        _host.Time.Advance(TimeSpan.FromHours(2));
        Assert.Equal(["later", "live"], (await PageAsync(ListingKind.Category, "thoi-su")).Items.Select(t => t.Id));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("51")]
    [InlineData("-1")]
    [InlineData("abc")]
    [InlineData("1.5")]
    [InlineData(" 5")]
    public async Task A_limit_outside_1_to_50_is_a_bad_request_that_says_so(string limit)
    {
        var e = await Assert.ThrowsAsync<BadRequestException>(() => PageAsync(ListingKind.Category, "thoi-su", limit));
        Assert.Contains("1 to 50", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_cursor_from_another_listing_is_a_bad_request()
    {
        var now = _host.Time.GetUtcNow();
        for (var i = 0; i < 3; i++)
        {
            await Fixtures.PublishAsync(_host, $"c{i}", $"Tin {i}", now.AddMinutes(-i), "thoi-su", ["chuyen-doi-so"]);
        }
        var cursor = (await PageAsync(ListingKind.Category, "thoi-su", "1")).NextCursor;
        Assert.NotNull(cursor);
        await Assert.ThrowsAsync<BadRequestException>(() => PageAsync(ListingKind.Event, "chuyen-doi-so", "1", cursor));
    }

    [Fact]
    public async Task Unknown_categories_and_events_are_not_found()
    {
        await Assert.ThrowsAsync<NotFoundException>(() => PageAsync(ListingKind.Category, "khong-co"));
        await Assert.ThrowsAsync<NotFoundException>(() => PageAsync(ListingKind.Event, "khong-co"));
    }
}
