using System.Text.Json;
using Newsroom.Articles;
using Newsroom.Desk;
using Newsroom.IntegrationTests.Support;
using Newsroom.Publishing;
using Newsroom.Reading;
using Newsroom.Taxonomy;

namespace Newsroom.IntegrationTests.Taxonomy;

/// <summary>Admins manage sections and running stories on real storage, starting from nothing.</summary>
public sealed class TaxonomyEditorTests : IAsyncLifetime
{
    private NewsroomTestHost _host = null!;

    private TaxonomyEditor Editor => _host.Get<TaxonomyEditor>();

    public async Task InitializeAsync() => _host = await NewsroomTestHost.CreateAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private static JsonElement Json(TaxonResult result) => JsonDocument.Parse(result.Payload!.Body).RootElement;

    private async Task<JsonElement> TreeAsync() => JsonDocument.Parse((await _host.Get<ListingReader>().GetCategoryTreeAsync(CancellationToken.None)).Body).RootElement;

    private async Task<string> PublishAsync(string title, string category, params string[] events)
    {
        var desk = new PublisherDesk(_host.Get<ArticleDesk>());
        var created = await desk.CreateAsync(new ArticleInput
        {
            Title = title,
            Category = category,
            Events = events,
            Blocks = [new ParagraphBlock("Nội dung.")],
        }, CancellationToken.None);
        return (await desk.PublishAsync(created.Article.Id, null, null, CancellationToken.None)).Article.Slug;
    }

    [Fact]
    public async Task Admins_build_the_section_tree_with_vietnamese_slugs_and_nobody_else_may()
    {
        await Assert.ThrowsAsync<ForbiddenException>(() => Editor.CreateCategoryAsync(DeskUsers.Publisher, new CategoryInput("Thời sự"), CancellationToken.None));

        var news = await Editor.CreateCategoryAsync(DeskUsers.Admin, new CategoryInput("Thời sự", Order: 1), CancellationToken.None);
        var economy = await Editor.CreateCategoryAsync(DeskUsers.Admin, new CategoryInput("Kinh tế", Order: 2), CancellationToken.None);
        var farming = await Editor.CreateCategoryAsync(DeskUsers.Admin, new CategoryInput("Nông nghiệp – Nông thôn", Parent: "kinh-te"), CancellationToken.None);
        Assert.Equal(("thoi-su", "kinh-te", "nong-nghiep-nong-thon"), (news.Slug, economy.Slug, farming.Slug));
        Assert.Equal("kinh-te", Json(farming).GetProperty("parent").GetString());

        // The same name again gets a slug of its own.
        var twin = await Editor.CreateCategoryAsync(DeskUsers.Admin, new CategoryInput("Thời sự", Parent: "kinh-te"), CancellationToken.None);
        Assert.Equal("thoi-su-2", twin.Slug);

        var tree = await TreeAsync();
        Assert.Equal(["thoi-su", "kinh-te"], tree.EnumerateArray().Select(n => n.GetProperty("slug").GetString()));
        Assert.Equal(["nong-nghiep-nong-thon", "thoi-su-2"], tree[1].GetProperty("children").EnumerateArray().Select(n => n.GetProperty("slug").GetString()).Order());

        var invalid = await Assert.ThrowsAsync<ValidationException>(() =>
            Editor.CreateCategoryAsync(DeskUsers.Admin, new CategoryInput(" ", Parent: "khong-co", Order: -1), CancellationToken.None));
        Assert.Equal(["name", "order", "parent"], invalid.Errors!.Keys.Order());
    }

    [Fact]
    public async Task A_renamed_section_answers_at_its_old_slug_with_a_redirect_and_keeps_its_articles()
    {
        await Editor.CreateCategoryAsync(DeskUsers.Admin, new CategoryInput("Văn hóa"), CancellationToken.None);
        var article = await PublishAsync("Lễ hội đền Đuổm", "van-hoa");

        var current = await Editor.GetCategoryAsync("van-hoa", CancellationToken.None);
        var renamed = await Editor.UpdateCategoryAsync(DeskUsers.Admin, "van-hoa", new CategoryInput("Văn hóa – Xã hội"), current.ETag, CancellationToken.None);
        Assert.Equal("van-hoa-xa-hoi", renamed.Slug);
        Assert.Equal(["van-hoa"], Json(renamed).GetProperty("previousSlugs").EnumerateArray().Select(s => s.GetString()));

        Assert.Equal("van-hoa-xa-hoi", (await Editor.GetCategoryAsync("van-hoa", CancellationToken.None)).MovedTo);
        var listing = _host.Get<ListingReader>();
        Assert.Equal("van-hoa-xa-hoi", (await listing.GetPageAsync(ListingKind.Category, "van-hoa", null, null, CancellationToken.None)).MovedTo);
        var page = JsonDocument.Parse((await listing.GetPageAsync(ListingKind.Category, "van-hoa-xa-hoi", null, null, CancellationToken.None)).Page!.Body).RootElement;
        var teaser = Assert.Single(page.GetProperty("items").EnumerateArray());
        Assert.Equal(article, teaser.GetProperty("slug").GetString());
        // The article names its section by the new slug.
        var view = JsonDocument.Parse((await _host.Get<ArticleReader>().GetAsync(article, CancellationToken.None)).Article!.Body).RootElement;
        Assert.Equal(("van-hoa-xa-hoi", "Văn hóa – Xã hội"), (view.GetProperty("category").GetProperty("slug").GetString(), view.GetProperty("category").GetProperty("name").GetString()));

        // Its old slug stays its own: a new section of that name gets another.
        var again = await Editor.CreateCategoryAsync(DeskUsers.Admin, new CategoryInput("Văn hóa"), CancellationToken.None);
        Assert.Equal("van-hoa-2", again.Slug);
    }

    [Fact]
    public async Task Changes_need_if_match_a_stale_one_is_refused_and_leaves_no_stray_slug()
    {
        var created = await Editor.CreateCategoryAsync(DeskUsers.Admin, new CategoryInput("Thể thao"), CancellationToken.None);
        await Assert.ThrowsAsync<PreconditionRequiredException>(() =>
            Editor.UpdateCategoryAsync(DeskUsers.Admin, "the-thao", new CategoryInput("Thể thao"), null, CancellationToken.None));
        var reordered = await Editor.UpdateCategoryAsync(DeskUsers.Admin, "the-thao", new CategoryInput("Thể thao", Order: 9), created.ETag, CancellationToken.None);

        await Assert.ThrowsAsync<PreconditionFailedException>(() =>
            Editor.UpdateCategoryAsync(DeskUsers.Admin, "the-thao", new CategoryInput("Bóng đá"), created.ETag, CancellationToken.None));

        Assert.Equal("the-thao", (await Editor.GetCategoryAsync("the-thao", CancellationToken.None)).Slug);
        Assert.Null((await Editor.GetCategoryAsync("the-thao", CancellationToken.None)).MovedTo);
        await Assert.ThrowsAsync<NotFoundException>(() => Editor.GetCategoryAsync("bong-da", CancellationToken.None));
        // The refused rename gave its slug back at once.
        Assert.Equal("bong-da", (await Editor.CreateCategoryAsync(DeskUsers.Admin, new CategoryInput("Bóng đá"), CancellationToken.None)).Slug);
        Assert.Equal(9, Json(await Editor.GetCategoryAsync("the-thao", CancellationToken.None)).GetProperty("order").GetInt32());
        Assert.NotEqual(created.ETag, reordered.ETag);
    }

    [Fact]
    public async Task Sections_are_reordered_and_moved_but_never_under_themselves()
    {
        var a = await Editor.CreateCategoryAsync(DeskUsers.Admin, new CategoryInput("Pháp luật", Order: 1), CancellationToken.None);
        var b = await Editor.CreateCategoryAsync(DeskUsers.Admin, new CategoryInput("Quốc phòng", Order: 2), CancellationToken.None);
        var child = await Editor.CreateCategoryAsync(DeskUsers.Admin, new CategoryInput("An ninh trật tự", Parent: "phap-luat"), CancellationToken.None);

        var e = await Assert.ThrowsAsync<ValidationException>(() =>
            Editor.UpdateCategoryAsync(DeskUsers.Admin, "phap-luat", new CategoryInput("Pháp luật", Parent: "an-ninh-trat-tu"), a.ETag, CancellationToken.None));
        Assert.Contains("parent", e.Errors!.Keys);
        await Assert.ThrowsAsync<ValidationException>(() =>
            Editor.UpdateCategoryAsync(DeskUsers.Admin, "phap-luat", new CategoryInput("Pháp luật", Parent: "phap-luat"), a.ETag, CancellationToken.None));

        await Editor.UpdateCategoryAsync(DeskUsers.Admin, "quoc-phong", new CategoryInput("Quốc phòng", Order: 0), b.ETag, CancellationToken.None);
        await Editor.UpdateCategoryAsync(DeskUsers.Admin, "an-ninh-trat-tu", new CategoryInput("An ninh trật tự", Parent: "quoc-phong"), child.ETag, CancellationToken.None);

        var tree = await TreeAsync();
        Assert.Equal(["quoc-phong", "phap-luat"], tree.EnumerateArray().Select(n => n.GetProperty("slug").GetString()));
        Assert.Equal("an-ninh-trat-tu", Assert.Single(tree[0].GetProperty("children").EnumerateArray()).GetProperty("slug").GetString());
        Assert.Empty(tree[1].GetProperty("children").EnumerateArray());
        // With articles it stays where it is: they are listed under its parent sections too.
        await PublishAsync("Bắt giữ đối tượng buôn lậu", "an-ninh-trat-tu");
        var now = await Editor.GetCategoryAsync("an-ninh-trat-tu", CancellationToken.None);
        var refused = await Assert.ThrowsAsync<ConflictException>(() =>
            Editor.UpdateCategoryAsync(DeskUsers.Admin, "an-ninh-trat-tu", new CategoryInput("An ninh trật tự", Parent: "phap-luat"), now.ETag, CancellationToken.None));
        Assert.Contains("retire", refused.Message, StringComparison.Ordinal);
        // Renaming or reordering it is fine.
        await Editor.UpdateCategoryAsync(DeskUsers.Admin, "an-ninh-trat-tu", new CategoryInput("An ninh – Trật tự", Parent: "quoc-phong", Order: 3), now.ETag, CancellationToken.None);
    }

    [Fact]
    public async Task A_retired_section_leaves_the_tree_and_new_articles_but_its_articles_stay_readable()
    {
        var created = await Editor.CreateCategoryAsync(DeskUsers.Admin, new CategoryInput("Bạn đọc viết"), CancellationToken.None);
        var article = await PublishAsync("Thư bạn đọc", "ban-doc-viet");

        await Editor.UpdateCategoryAsync(DeskUsers.Admin, "ban-doc-viet", new CategoryInput("Bạn đọc viết", Retired: true), created.ETag, CancellationToken.None);

        Assert.Empty((await TreeAsync()).EnumerateArray());
        Assert.NotNull((await _host.Get<ArticleReader>().GetAsync(article, CancellationToken.None)).Article);
        Assert.NotNull((await _host.Get<ListingReader>().GetPageAsync(ListingKind.Category, "ban-doc-viet", null, null, CancellationToken.None)).Page);
        var refused = await Assert.ThrowsAsync<ValidationException>(() => _host.Get<ArticleDesk>().CreateAsync(DeskUsers.Reporter,
            new ArticleInput { Title = "Thư mới", Category = "ban-doc-viet", Blocks = [new ParagraphBlock("…")] }, CancellationToken.None));
        Assert.Contains("category", refused.Errors!.Keys);
    }

    [Fact]
    public async Task Events_have_a_description_a_cover_photo_and_focus_and_are_renamed_with_a_redirect()
    {
        await Editor.CreateCategoryAsync(DeskUsers.Admin, new CategoryInput("Thời sự"), CancellationToken.None);
        var missingPhoto = await Assert.ThrowsAsync<ValidationException>(() => Editor.CreateEventAsync(DeskUsers.Admin,
            new EventInput("Mùa lũ 2026", CoverPhoto: new PhotoRef("p-khong-co", null, null)), CancellationToken.None));
        Assert.Contains("coverPhoto.photoId", missingPhoto.Errors!.Keys);
        await Assert.ThrowsAsync<ForbiddenException>(() => Editor.CreateEventAsync(DeskUsers.Editor, new EventInput("Mùa lũ 2026"), CancellationToken.None));

        var created = await Editor.CreateEventAsync(DeskUsers.Admin, new EventInput("Mùa lũ 2026", "Theo dõi mưa lũ trên địa bàn tỉnh.", InFocus: true), CancellationToken.None);
        Assert.Equal("mua-lu-2026", created.Slug);
        var article = await PublishAsync("Nước sông Cầu lên nhanh", "thoi-su", "mua-lu-2026");

        var renamed = await Editor.UpdateEventAsync(DeskUsers.Admin, "mua-lu-2026", new EventInput("Mưa lũ năm 2026", InFocus: false), created.ETag, CancellationToken.None);
        Assert.Equal("mua-lu-nam-2026", renamed.Slug);
        var json = Json(renamed);
        Assert.Equal(("Theo dõi mưa lũ trên địa bàn tỉnh.", false), (json.GetProperty("description").GetString(), json.GetProperty("inFocus").GetBoolean()));
        Assert.Equal("mua-lu-nam-2026", (await Editor.GetEventAsync("mua-lu-2026", CancellationToken.None)).MovedTo);
        Assert.Equal("mua-lu-nam-2026", (await _host.Get<ListingReader>().GetPageAsync(ListingKind.Event, "mua-lu-2026", null, null, CancellationToken.None)).MovedTo);
        var page = JsonDocument.Parse((await _host.Get<ListingReader>().GetPageAsync(ListingKind.Event, "mua-lu-nam-2026", null, null, CancellationToken.None)).Page!.Body).RootElement;
        Assert.Equal(article, Assert.Single(page.GetProperty("items").EnumerateArray()).GetProperty("slug").GetString());

        var events = JsonDocument.Parse((await Editor.ListEventsAsync(CancellationToken.None)).Body).RootElement;
        Assert.Equal("mua-lu-nam-2026", Assert.Single(events.EnumerateArray()).GetProperty("slug").GetString());
    }

    [Fact]
    public async Task Themed_columns_gather_articles_show_as_ordered_banners_on_the_homepage_while_active_and_are_renamed_with_a_redirect()
    {
        await Editor.CreateCategoryAsync(DeskUsers.Admin, new CategoryInput("Thời sự"), CancellationToken.None);
        await Assert.ThrowsAsync<ForbiddenException>(() => Editor.CreateColumnAsync(DeskUsers.Publisher, new ColumnInput("Vì an toàn giao thông"), CancellationToken.None));
        var invalid = await Assert.ThrowsAsync<ValidationException>(() => Editor.CreateColumnAsync(DeskUsers.Admin,
            new ColumnInput(" ", Banner: new PhotoRef("p-khong-co"), Order: 5000), CancellationToken.None));
        Assert.Equal(["banner.photoId", "name", "order"], invalid.Errors!.Keys.Order(StringComparer.Ordinal));

        var traffic = await Editor.CreateColumnAsync(DeskUsers.Admin, new ColumnInput("Vì an toàn giao thông", "Chung tay giảm tai nạn", Order: 2), CancellationToken.None);
        var uncle = await Editor.CreateColumnAsync(DeskUsers.Admin, new ColumnInput("Học và làm theo gương Bác", Order: 1), CancellationToken.None);
        var contest = await Editor.CreateColumnAsync(DeskUsers.Admin, new ColumnInput("Cuộc thi ảnh báo chí", Order: 3, Active: false), CancellationToken.None);
        Assert.Equal(("vi-an-toan-giao-thong", "hoc-va-lam-theo-guong-bac", "cuoc-thi-anh-bao-chi"), (traffic.Slug, uncle.Slug, contest.Slug));
        var listed = JsonDocument.Parse((await Editor.ListColumnsAsync(CancellationToken.None)).Body).RootElement;
        Assert.Equal(["hoc-va-lam-theo-guong-bac", "vi-an-toan-giao-thong"], listed.EnumerateArray().Select(c => c.GetProperty("slug").GetString()));

        // An article belongs to any number of columns; an inactive one is not offered for new articles.
        var desk = new PublisherDesk(_host.Get<ArticleDesk>());
        var refused = await Assert.ThrowsAsync<ValidationException>(() => desk.CreateAsync(new ArticleInput
        {
            Title = "Ảnh dự thi", Category = "thoi-su", Columns = ["cuoc-thi-anh-bao-chi", "khong-co"], Blocks = [new ParagraphBlock("…")],
        }, CancellationToken.None));
        Assert.Equal(["columns[0]", "columns[1]"], refused.Errors!.Keys.Order(StringComparer.Ordinal));
        var created = await desk.CreateAsync(new ArticleInput
        {
            Title = "Đội mũ bảo hiểm đúng cách", Category = "thoi-su", Columns = ["vi-an-toan-giao-thong", "hoc-va-lam-theo-guong-bac"], Blocks = [new ParagraphBlock("…")],
        }, CancellationToken.None);
        Assert.Equal(["vi-an-toan-giao-thong", "hoc-va-lam-theo-guong-bac"], created.Article.Columns.Select(c => c.Slug));
        var published = await desk.PublishAsync(created.Article.Id, null, null, CancellationToken.None);
        var article = JsonDocument.Parse((await _host.Get<ArticleReader>().GetAsync(published.Article.Slug, CancellationToken.None)).Article!.Body).RootElement;
        Assert.Equal(["Vì an toàn giao thông", "Học và làm theo gương Bác"], article.GetProperty("columns").EnumerateArray().Select(c => c.GetProperty("name").GetString()));

        await _host.Get<Newsroom.Homepage.HomepagePublisher>().RebuildAsync(CancellationToken.None);
        var homepage = JsonDocument.Parse((await _host.Get<Newsroom.Homepage.HomepageStore>().GetSnapshotAsync(CancellationToken.None))!.Body).RootElement;
        Assert.Equal(["hoc-va-lam-theo-guong-bac", "vi-an-toan-giao-thong"], homepage.GetProperty("columns").EnumerateArray().Select(c => c.GetProperty("slug").GetString()));

        // Renamed: a new slug, the old one redirects (the column and its listing); made inactive: off the homepage, its listing stays.
        var renamed = await Editor.UpdateColumnAsync(DeskUsers.Admin, "vi-an-toan-giao-thong", new ColumnInput("An toàn giao thông", Active: false), traffic.ETag, CancellationToken.None);
        Assert.Equal("an-toan-giao-thong", renamed.Slug);
        Assert.Equal(("Chung tay giảm tai nạn", 2, false), (Json(renamed).GetProperty("description").GetString(), Json(renamed).GetProperty("order").GetInt32(), Json(renamed).GetProperty("active").GetBoolean()));
        Assert.Equal("an-toan-giao-thong", (await Editor.GetColumnAsync("vi-an-toan-giao-thong", CancellationToken.None)).MovedTo);
        Assert.Equal("an-toan-giao-thong", (await _host.Get<ListingReader>().GetPageAsync(ListingKind.Column, "vi-an-toan-giao-thong", null, null, CancellationToken.None)).MovedTo);
        var page = JsonDocument.Parse((await _host.Get<ListingReader>().GetPageAsync(ListingKind.Column, "an-toan-giao-thong", null, null, CancellationToken.None)).Page!.Body).RootElement;
        Assert.Equal(published.Article.Id, Assert.Single(page.GetProperty("items").EnumerateArray()).GetProperty("id").GetString());
        await Assert.ThrowsAsync<PreconditionFailedException>(() => Editor.UpdateColumnAsync(DeskUsers.Admin, "an-toan-giao-thong", new ColumnInput("Giao thông"), traffic.ETag, CancellationToken.None));
        await Assert.ThrowsAsync<PreconditionRequiredException>(() => Editor.UpdateColumnAsync(DeskUsers.Admin, "an-toan-giao-thong", new ColumnInput("Giao thông"), null, CancellationToken.None));
        await _host.Get<Newsroom.Homepage.HomepagePublisher>().RebuildAsync(CancellationToken.None);
        homepage = JsonDocument.Parse((await _host.Get<Newsroom.Homepage.HomepageStore>().GetSnapshotAsync(CancellationToken.None))!.Body).RootElement;
        Assert.Equal(["hoc-va-lam-theo-guong-bac"], homepage.GetProperty("columns").EnumerateArray().Select(c => c.GetProperty("slug").GetString()));
        await Assert.ThrowsAsync<NotFoundException>(() => _host.Get<ListingReader>().GetPageAsync(ListingKind.Column, "khong-co", null, null, CancellationToken.None));
    }
}
