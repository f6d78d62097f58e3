using System.Text.Json;
using Newsroom.Articles;
using Newsroom.IntegrationTests.Support;
using Newsroom.Publishing;
using Newsroom.Search;

namespace Newsroom.IntegrationTests.Search;

/// <summary>
/// Search kept in step with the articles through the indexing path, on real storage with a fake clock:
/// what readers may see is findable, when they may see it, and nothing else.
/// </summary>
public sealed class SearchSyncTests : IAsyncLifetime
{
    private NewsroomTestHost _host = null!;

    private DateTimeOffset Now => _host.Time.GetUtcNow();

    private ArticleSearch Search => _host.Get<ArticleSearch>();

    public async Task InitializeAsync()
    {
        _host = await NewsroomTestHost.CreateAsync();
        await Fixtures.SeedTaxonomyAsync(_host);
    }

    public Task DisposeAsync() => _host.DisposeAsync().AsTask();

    private async Task<JsonElement> FindAsync(string q, string? category = null, string? @event = null, string? from = null, string? to = null, string? sort = null, string? limit = null, string? cursor = null)
    {
        var payload = await Search.SearchAsync(q, category, @event, from, to, sort, limit, cursor, CancellationToken.None);
        return JsonDocument.Parse(payload.Body).RootElement.Clone();
    }

    private static string[] Ids(JsonElement page) => [.. page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()!)];

    [Fact]
    public async Task A_published_article_is_found_as_readers_type_with_its_teaser_and_highlight_ranges()
    {
        await Fixtures.PublishAsync(_host, "a-1", "Đường về Thái Nguyên mùa lúa chín", Now.AddHours(-1), category: "nong-nghiep", events: ["chuyen-doi-so"]);
        var page = await FindAsync("thai nguyen");
        var item = Assert.Single(page.GetProperty("items").EnumerateArray());
        Assert.Equal(1, page.GetProperty("total").GetInt64());
        Assert.Equal("duong-ve-thai-nguyen-mua-lua-chin", item.GetProperty("slug").GetString());
        Assert.Equal("Nông nghiệp", item.GetProperty("category").GetProperty("name").GetString());
        Assert.EndsWith("+07:00", item.GetProperty("publishedAt").GetString(), StringComparison.Ordinal);
        var title = item.GetProperty("title").GetString()!;
        var range = Assert.Single(item.GetProperty("titleHighlights").EnumerateArray());
        Assert.Equal("Thái Nguyên", title.Substring(range.GetProperty("start").GetInt32(), range.GetProperty("length").GetInt32()));
        Assert.Equal(["a-1"], Ids(await FindAsync("đường")));
        // A section's search takes in its sub-sections, as its listing does ("Nông nghiệp" is under "Kinh tế").
        Assert.Equal(["a-1"], Ids(await FindAsync("duong", category: "nong-nghiep")));
        Assert.Equal(["a-1"], Ids(await FindAsync("duong", category: "kinh-te")));
        Assert.Empty(Ids(await FindAsync("duong", category: "thoi-su")));
    }

    [Fact]
    public async Task A_scheduled_article_is_found_from_its_time_an_edit_is_reflected_and_an_unpublished_one_is_gone()
    {
        var scheduled = await Fixtures.PublishAsync(_host, "a-s", "Khánh thành cầu Gia Bảy", Now.AddHours(1), status: ArticleStatus.Scheduled);
        Assert.Empty(Ids(await FindAsync("gia bay")));
        _host.Time.Advance(TimeSpan.FromHours(2));
        Assert.Equal(["a-s"], Ids(await FindAsync("gia bay")));

        var writer = _host.Get<ArticleWriter>();
        var current = (await _host.Get<ArticleStore>().GetAsync("a-s", CancellationToken.None))!;
        var edited = await writer.UpdateAsync(current.Article, current.Article with
        {
            Title = "Khánh thành cầu Bến Tượng",
            Summary = "Cây cầu mới nối hai bờ sông Cầu.",
            Blocks = [new ParagraphBlock("Sáng nay, cầu Bến Tượng thông xe.")],
        }, current.ETag, CancellationToken.None);
        Assert.Empty(Ids(await FindAsync("gia bay")));
        Assert.Equal(["a-s"], Ids(await FindAsync("ben tuong")));

        await writer.UpdateAsync(edited.Article, edited.Article with { Status = ArticleStatus.Unpublished }, edited.ETag, CancellationToken.None);
        Assert.Empty(Ids(await FindAsync("ben tuong")));
        Assert.NotNull(scheduled);
    }

    [Fact]
    public async Task Drafts_are_never_found_and_filters_sort_and_paging_work()
    {
        await _host.Get<ArticleWriter>().CreateAsync(Fixtures.Article("d-1", "Bản nháp về lúa", status: ArticleStatus.Draft), CancellationToken.None);
        for (var i = 0; i < 5; i++)
        {
            await Fixtures.PublishAsync(_host, $"l-{i}", $"Lúa mùa vụ {i}", Now.AddDays(-i).AddMinutes(-1), category: i % 2 == 0 ? "thoi-su" : "kinh-te", events: i == 1 ? ["mua-lu-2026"] : null);
        }
        Assert.DoesNotContain("d-1", Ids(await FindAsync("lua")));
        Assert.Equal(["l-0", "l-1", "l-2", "l-3", "l-4"], Ids(await FindAsync("lua mua", sort: "newest")));
        Assert.Equal(["l-0", "l-2", "l-4"], Ids(await FindAsync("lua", category: "thoi-su", sort: "newest")));
        Assert.Equal(["l-1"], Ids(await FindAsync("lua", @event: "mua-lu-2026")));
        var day = Now.AddDays(-2).ToOffset(TimeSpan.FromHours(7)).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(["l-2"], Ids(await FindAsync("lua", from: day, to: day)));

        var first = await FindAsync("lua", sort: "newest", limit: "2");
        Assert.Equal(5, first.GetProperty("total").GetInt64());
        Assert.Equal(["l-0", "l-1"], Ids(first));
        var second = await FindAsync("lua", sort: "newest", limit: "2", cursor: first.GetProperty("nextCursor").GetString());
        Assert.Equal(["l-2", "l-3"], Ids(second));
        var third = await FindAsync("lua", sort: "newest", limit: "2", cursor: second.GetProperty("nextCursor").GetString());
        Assert.Equal(["l-4"], Ids(third));
        Assert.Equal(JsonValueKind.Null, third.GetProperty("nextCursor").ValueKind);
    }

    [Theory]
    [InlineData("a", "2 to 100 characters")]
    [InlineData("   x   ", "2 to 100 characters")]
    [InlineData("lua", "sort", "sort=oldest")]
    [InlineData("lua", "limit", "limit=0")]
    [InlineData("lua", "limit", "limit=51")]
    [InlineData("lua", "yyyy-MM-dd", "from=30/11/2026")]
    [InlineData("lua", "no category", "category=khong-co")]
    [InlineData("lua", "no event", "event=khong-co")]
    [InlineData("lua", "cursor", "cursor=bad!")]
    [InlineData("lua", "after", "from=2026-11-30&to=2026-11-01")]
    public async Task Bad_parameters_are_refused_with_a_detail_that_says_what_to_send(string q, string detail, string? query = null)
    {
        var p = (query ?? "").Split('&', StringSplitOptions.RemoveEmptyEntries).Select(x => x.Split('=', 2)).ToDictionary(x => x[0], x => x[1]);
        var e = await Assert.ThrowsAsync<BadRequestException>(() => Search.SearchAsync(
            q, p.GetValueOrDefault("category"), p.GetValueOrDefault("event"), p.GetValueOrDefault("from"), p.GetValueOrDefault("to"),
            p.GetValueOrDefault("sort"), p.GetValueOrDefault("limit"), p.GetValueOrDefault("cursor"), CancellationToken.None));
        Assert.Contains(detail, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Articles_written_by_another_process_reach_this_ones_index_by_catch_up_and_a_rebuild_restores_everything()
    {
        await Fixtures.PublishAsync(_host, "mine", "Hội chợ nông sản", Now.AddHours(-1));
        // Another instance (or the local host's seeder) writes to the same storage, with an index of its own.
        await using (var other = await NewsroomTestHost.CreateAsync(connectionString: _host.ConnectionString))
        {
            other.Time.SetUtcNow(Now);
            await Fixtures.PublishAsync(other, "theirs", "Hội chợ sách", Now.AddMinutes(-30));
        }
        // This instance's first search fills its index from the tables; later changes come with the timer's catch-up.
        Assert.Equal(["mine", "theirs"], Ids(await FindAsync("hoi cho", sort: "newest")).Order());

        // A document the tables no longer back (an article deleted behind the index's back) is removed by the
        // rebuild, which never empties the index on its way.
        await _host.Get<ISearchEngine>().UpsertAsync([new SearchDocument("gone", "hoi-cho-cu", "Hội chợ cũ", "", "", "thoi-su", [], Now.AddDays(-1))], CancellationToken.None);
        Assert.Equal(3, (await FindAsync("hoi cho")).GetProperty("total").GetInt64());

        Assert.Equal(2, await Search.RebuildAsync(CancellationToken.None));
        Assert.Equal(2, (await FindAsync("hoi cho")).GetProperty("total").GetInt64());
        Assert.Equal(["mine", "theirs"], (await _host.Get<ISearchEngine>().IdsAsync(CancellationToken.None)).Order());
    }
}
