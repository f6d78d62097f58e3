using Newsroom.Articles;
using Newsroom.IntegrationTests.Support;
using Newsroom.Publishing;
using Newsroom.Reading;

namespace Newsroom.IntegrationTests.Publishing;

/// <summary>Slugs follow titles, redirects exist only where readers may have a link, and failed writes leave nothing.</summary>
public sealed class SlugTests : IAsyncLifetime
{
    private NewsroomTestHost _host = null!;
    private PublisherDesk Editor => new(_host.Get<Newsroom.Desk.ArticleDesk>());
    private ArticleSlugs Slugs => _host.Get<ArticleSlugs>();

    public async Task InitializeAsync()
    {
        _host = await NewsroomTestHost.CreateAsync();
        await Fixtures.SeedTaxonomyAsync(_host);
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private static ArticleInput Input(string title) => new()
    {
        Title = title,
        Summary = "Tóm tắt.",
        Category = "thoi-su",
        Blocks = [new ParagraphBlock("Nội dung.")],
    };

    /// <summary>What a reader gets for a slug: "ok", "moved:{slug}" or "404".</summary>
    private async Task<string> ReadAsync(string slug)
    {
        try
        {
            var lookup = await _host.Get<ArticleReader>().GetAsync(slug, CancellationToken.None);
            return lookup.MovedTo is { } to ? "moved:" + to : "ok";
        }
        catch (NotFoundException)
        {
            return "404";
        }
    }

    [Fact]
    public async Task Slugs_are_unique_with_a_numeric_suffix_and_a_retried_claim_gets_the_same_slug()
    {
        Assert.Equal("hop-bao-chi", (await Slugs.ClaimAsync("hop-bao-chi", "id-1", CancellationToken.None)).Slug);
        Assert.Equal("hop-bao-chi-2", (await Slugs.ClaimAsync("hop-bao-chi", "id-2", CancellationToken.None)).Slug);
        Assert.Equal("hop-bao-chi-3", (await Slugs.ClaimAsync("hop-bao-chi", "id-3", CancellationToken.None)).Slug);
        var again = await Slugs.ClaimAsync("hop-bao-chi", "id-2", CancellationToken.None);
        Assert.Equal(("hop-bao-chi-2", false), (again.Slug, again.Created));
        Assert.Equal("id-3", await Slugs.FindIdAsync("hop-bao-chi-3", CancellationToken.None));
    }

    [Fact]
    public async Task Concurrent_claims_of_one_slug_never_give_it_twice()
    {
        var claims = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Slugs.ClaimAsync("tin-nong", "c-" + i, CancellationToken.None)));
        Assert.Equal(8, claims.Select(c => c.Slug).Distinct().Count());
    }

    [Fact]
    public async Task A_stale_edit_leaves_no_redirect_under_the_title_it_tried_and_the_slug_stays_free()
    {
        var created = await Editor.CreateAsync(Input("Lễ hội trà Thái Nguyên"), CancellationToken.None);
        var published = await Editor.PublishAsync(created.Article.Id, null, null, CancellationToken.None);
        var read = (await _host.Get<ArticleStore>().GetAsync(created.Article.Id, CancellationToken.None))!;
        await Editor.ReplaceAsync(created.Article.Id, Input("Lễ hội trà Thái Nguyên lần thứ nhất"), published.ETag, CancellationToken.None);

        // A second editor's write read the article before that edit and retitles it: the store refuses it (412).
        await Assert.ThrowsAsync<PreconditionFailedException>(() => _host.Get<ArticleWriter>().UpdateAsync(
            read.Article, read.Article with { Title = "Tiêu đề chưa bao giờ có" }, read.ETag, CancellationToken.None));

        Assert.Equal("404", await ReadAsync("tieu-de-chua-bao-gio-co"));
        Assert.Null(await Slugs.FindIdAsync("tieu-de-chua-bao-gio-co", CancellationToken.None));
        var other = await Editor.CreateAsync(Input("Tiêu đề chưa bao giờ có"), CancellationToken.None);
        Assert.Equal("tieu-de-chua-bao-gio-co", other.Article.Slug);
    }

    [Fact]
    public async Task A_claim_that_no_write_completed_is_invisible_and_taken_over_after_the_grace_period()
    {
        // What a crash between claiming and writing leaves: a slug row for an article that does not exist.
        await Slugs.ClaimAsync("bai-bo-do", "a-never-written", CancellationToken.None);
        Assert.Equal("404", await ReadAsync("bai-bo-do"));

        var young = await Editor.CreateAsync(Input("Bài bỏ dở"), CancellationToken.None);
        Assert.Equal("bai-bo-do-2", young.Article.Slug);

        await Slugs.ClaimAsync("bai-bo-do-lan-hai", "a-never-written", CancellationToken.None);
        _host.Time.Advance(ArticleSlugs.ClaimGrace + TimeSpan.FromMinutes(1));
        var later = await Editor.CreateAsync(Input("Bài bỏ dở lần hai"), CancellationToken.None);
        Assert.Equal("bai-bo-do-lan-hai", later.Article.Slug);
        Assert.Equal(later.Article.Id, await Slugs.FindIdAsync("bai-bo-do-lan-hai", CancellationToken.None));
    }

    [Fact]
    public async Task A_shortened_title_gets_its_shorter_slug()
    {
        var created = await Editor.CreateAsync(Input("Khai mạc hội chợ nông sản an toàn"), CancellationToken.None);
        var shorter = await Editor.ReplaceAsync(created.Article.Id, Input("Khai mạc hội chợ"), created.ETag, CancellationToken.None);
        Assert.Equal("khai-mac-hoi-cho", shorter.Article.Slug);
    }

    [Fact]
    public async Task A_drafts_slug_follows_its_title_without_redirects_until_it_is_published()
    {
        var draft = await Editor.CreateAsync(Input("Bản nháp một"), CancellationToken.None);
        var two = await Editor.ReplaceAsync(draft.Article.Id, Input("Bản nháp hai"), draft.ETag, CancellationToken.None);
        var three = await Editor.ReplaceAsync(draft.Article.Id, Input("Bản nháp ba"), two.ETag, CancellationToken.None);
        Assert.Equal("ban-nhap-ba", three.Article.Slug);
        Assert.Empty(three.Article.PreviousSlugs);
        Assert.Null(await Slugs.FindIdAsync("ban-nhap-mot", CancellationToken.None));
        Assert.Null(await Slugs.FindIdAsync("ban-nhap-hai", CancellationToken.None));

        var published = await Editor.PublishAsync(draft.Article.Id, null, null, CancellationToken.None);
        Assert.Equal("ok", await ReadAsync("ban-nhap-ba"));
        Assert.Equal("404", await ReadAsync("ban-nhap-mot"));

        var renamed = await Editor.ReplaceAsync(draft.Article.Id, Input("Bài đã đăng"), published.ETag, CancellationToken.None);
        Assert.Equal(["ban-nhap-ba"], renamed.Article.PreviousSlugs);
        Assert.Equal("moved:bai-da-dang", await ReadAsync("ban-nhap-ba"));
        Assert.Equal("ok", await ReadAsync("bai-da-dang"));
    }

    [Fact]
    public async Task Going_back_to_an_earlier_title_takes_its_slug_back_and_keeps_the_others_answering()
    {
        var created = await Editor.CreateAsync(Input("Tên thứ nhất"), CancellationToken.None);
        var published = await Editor.PublishAsync(created.Article.Id, null, null, CancellationToken.None);
        var second = await Editor.ReplaceAsync(created.Article.Id, Input("Tên thứ hai"), published.ETag, CancellationToken.None);
        var back = await Editor.ReplaceAsync(created.Article.Id, Input("Tên thứ nhất"), second.ETag, CancellationToken.None);

        Assert.Equal("ten-thu-nhat", back.Article.Slug);
        Assert.Equal(["ten-thu-hai"], back.Article.PreviousSlugs);
        Assert.Equal("ok", await ReadAsync("ten-thu-nhat"));
        Assert.Equal("moved:ten-thu-nhat", await ReadAsync("ten-thu-hai"));
    }
}
