using System.Text.Json;
using Newsroom.Articles;
using Newsroom.Desk;
using Newsroom.IntegrationTests.Support;
using Newsroom.Legal;
using Newsroom.Publishing;
using Newsroom.Search;

namespace Newsroom.IntegrationTests.Legal;

/// <summary>
/// Legal documents on real storage: written at the desk as articles with their record, listed under the column
/// and filtered by type, issuing body and year in any combination (one listing each, paged), found by their number
/// as written, and refused with the field named when the record is wrong.
/// </summary>
public sealed class LegalDocumentsTests : IAsyncLifetime
{
    private NewsroomTestHost _host = null!;

    private PublisherDesk Desk => new(_host.Get<ArticleDesk>());
    private LegalDocumentReader Reader => _host.Get<LegalDocumentReader>();
    private DateTimeOffset Now => _host.Time.GetUtcNow();

    public async Task InitializeAsync()
    {
        _host = await NewsroomTestHost.CreateAsync();
        await Fixtures.SeedTaxonomyAsync(_host);
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private static readonly TimeSpan Vietnam = TimeSpan.FromHours(7);

    private async Task<DeskArticleView> PublishAsync(string title, string number, string type, string issuer, DateTimeOffset signedAt, DateTimeOffset? effectiveAt = null)
    {
        var created = await Desk.CreateAsync(new ArticleInput
        {
            Title = title,
            Summary = title,
            Category = "thoi-su",
            Blocks = [new ParagraphBlock("Toàn văn được đăng kèm.")],
            Legal = new LegalInput(number, type, issuer, signedAt, effectiveAt),
        }, CancellationToken.None);
        _host.Time.Advance(TimeSpan.FromMinutes(1));
        return (await Desk.PublishAsync(created.Article.Id, null, null, CancellationToken.None)).Article;
    }

    private async Task<(string[] Numbers, string? Next)> ListAsync(string? type = null, string? issuer = null, string? year = null, string? limit = null, string? cursor = null)
    {
        var page = JsonDocument.Parse((await Reader.GetPageAsync(type, issuer, year, limit, cursor, CancellationToken.None)).Body).RootElement;
        var next = page.GetProperty("nextCursor");
        return ([.. page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("legal").GetProperty("number").GetString()!)],
            next.ValueKind == JsonValueKind.Null ? null : next.GetString());
    }

    [Fact]
    public async Task Documents_are_filtered_by_type_issuer_and_year_in_any_combination_paged_newest_first_and_found_by_number()
    {
        var qd2026 = new DateTimeOffset(2026, 11, 20, 0, 0, 0, Vietnam);
        await PublishAsync("Quy trình thu bảo hiểm xã hội", "1666/QĐ-BHXH", "Quyết định", "Bảo hiểm xã hội Việt Nam", qd2026, qd2026);
        await PublishAsync("Giá dịch vụ trông giữ xe", "25/2026/QĐ-UBND", "quyet-dinh", "UBND tỉnh Thái Nguyên", qd2026.AddDays(-3), qd2026.AddDays(7));
        await PublishAsync("Phòng, chống thiên tai", "4120/UBND-KT", "Công văn", "UBND tỉnh Thái Nguyên", qd2026.AddDays(-1));
        var plan = await PublishAsync("Chuyển đổi số năm 2025", "18/KH-UBND", "Kế hoạch", "UBND tỉnh Thái Nguyên", new DateTimeOffset(2025, 12, 31, 23, 0, 0, Vietnam));

        Assert.Equal(["18/KH-UBND", "4120/UBND-KT", "25/2026/QĐ-UBND", "1666/QĐ-BHXH"], (await ListAsync()).Numbers);
        Assert.Equal(["25/2026/QĐ-UBND", "1666/QĐ-BHXH"], (await ListAsync(type: "quyet-dinh")).Numbers);
        Assert.Equal(["25/2026/QĐ-UBND", "1666/QĐ-BHXH"], (await ListAsync(type: "Quyết định")).Numbers);
        Assert.Equal(["18/KH-UBND", "4120/UBND-KT", "25/2026/QĐ-UBND"], (await ListAsync(issuer: "ubnd-tinh-thai-nguyen")).Numbers);
        Assert.Equal(["25/2026/QĐ-UBND"], (await ListAsync(type: "quyet-dinh", issuer: "UBND tỉnh Thái Nguyên")).Numbers);
        Assert.Equal(["18/KH-UBND"], (await ListAsync(year: "2025")).Numbers); // signed the last evening of 2025 in Vietnam time
        Assert.Equal(["4120/UBND-KT", "25/2026/QĐ-UBND"], (await ListAsync(issuer: "ubnd-tinh-thai-nguyen", year: "2026")).Numbers);
        Assert.Empty((await ListAsync(type: "thong-tu")).Numbers);

        // Paged with cursors bound to their filter.
        var first = await ListAsync(issuer: "ubnd-tinh-thai-nguyen", limit: "2");
        Assert.Equal(["18/KH-UBND", "4120/UBND-KT"], first.Numbers);
        var second = await ListAsync(issuer: "ubnd-tinh-thai-nguyen", limit: "2", cursor: first.Next);
        Assert.Equal(["25/2026/QĐ-UBND"], second.Numbers);
        Assert.Null(second.Next);
        var wrongFilter = await Assert.ThrowsAsync<BadRequestException>(() => ListAsync(type: "cong-van", limit: "2", cursor: first.Next));
        Assert.Contains("another listing", wrongFilter.Message, StringComparison.Ordinal);

        // Found by number as written, or typed without diacritics, and its page carries the record.
        var found = JsonDocument.Parse((await _host.Get<ArticleSearch>().SearchAsync("1666/QĐ-BHXH", null, null, null, null, null, null, null, CancellationToken.None)).Body).RootElement;
        Assert.Equal("1666/QĐ-BHXH", found.GetProperty("items")[0].GetProperty("legal").GetProperty("number").GetString());
        var unaccented = JsonDocument.Parse((await _host.Get<ArticleSearch>().SearchAsync("1666/qd-bhxh", null, null, null, null, null, null, null, CancellationToken.None)).Body).RootElement;
        Assert.Equal(1, unaccented.GetProperty("total").GetInt64());
        var page = JsonDocument.Parse((await Reader.GetAsync(plan.Slug, CancellationToken.None)).Article!.Body).RootElement;
        Assert.Equal(("Kế hoạch", "UBND tỉnh Thái Nguyên"), (page.GetProperty("legal").GetProperty("type").GetString(), page.GetProperty("legal").GetProperty("issuer").GetString()));
    }

    [Fact]
    public async Task An_edit_that_changes_the_type_moves_the_document_between_listings_and_an_unpublished_one_leaves_them_all()
    {
        var signed = new DateTimeOffset(2026, 11, 1, 0, 0, 0, Vietnam);
        var published = await PublishAsync("Hướng dẫn tạm thời", "12/HD-SNV", "Công văn", "Sở Nội vụ", signed);
        var current = await Desk.GetAsync(published.Id, CancellationToken.None);
        var edited = await Desk.ReplaceAsync(published.Id, new ArticleInput
        {
            Title = current.Article.Title, Category = "thoi-su", Blocks = current.Article.Blocks,
            Legal = new LegalInput("12/HD-SNV", "Hướng dẫn", "Sở Nội vụ", signed),
        }, current.ETag, CancellationToken.None);
        Assert.Empty((await ListAsync(type: "cong-van")).Numbers);
        Assert.Equal(["12/HD-SNV"], (await ListAsync(type: "huong-dan", issuer: "so-noi-vu", year: "2026")).Numbers);

        await _host.Get<ArticleDesk>().UnpublishAsync(DeskUsers.Publisher, published.Id, edited.ETag, null, CancellationToken.None);
        Assert.Empty((await ListAsync()).Numbers);
        Assert.Empty((await ListAsync(type: "huong-dan", issuer: "so-noi-vu", year: "2026")).Numbers);
        await Assert.ThrowsAsync<NotFoundException>(() => Reader.GetAsync(published.Slug, CancellationToken.None));
    }

    [Fact]
    public async Task A_bad_record_or_filter_is_refused_naming_it_and_an_article_is_not_a_document()
    {
        var e = await Assert.ThrowsAsync<ValidationException>(() => Desk.CreateAsync(new ArticleInput
        {
            Title = "Văn bản thiếu", Category = "thoi-su", Blocks = [new ParagraphBlock("…")],
            Legal = new LegalInput("không số", "Sắc lệnh", " ", Now, Now.AddDays(-1)),
        }, CancellationToken.None));
        Assert.Equal(["legal.effectiveAt", "legal.issuer", "legal.number", "legal.type"], e.Errors!.Keys.Order(StringComparer.Ordinal));
        var noDate = await Assert.ThrowsAsync<ValidationException>(() => Desk.CreateAsync(new ArticleInput
        {
            Title = "Văn bản không ngày", Category = "thoi-su", Blocks = [new ParagraphBlock("…")], Legal = new LegalInput("1/QĐ", "Quyết định", "Sở Y tế", null),
        }, CancellationToken.None));
        Assert.Equal(["legal.signedAt"], noDate.Errors!.Keys);

        Assert.Contains("quyet-dinh", (await Assert.ThrowsAsync<BadRequestException>(() => ListAsync(type: "sac-lenh"))).Message, StringComparison.Ordinal);
        Assert.Contains("1945 to 2100", (await Assert.ThrowsAsync<BadRequestException>(() => ListAsync(year: "hai-nghin"))).Message, StringComparison.Ordinal);
        Assert.Contains("1 to 50", (await Assert.ThrowsAsync<BadRequestException>(() => ListAsync(limit: "0"))).Message, StringComparison.Ordinal);

        var article = await Desk.CreateAsync(new ArticleInput { Title = "Tin thường", Category = "thoi-su", Blocks = [new ParagraphBlock("…")] }, CancellationToken.None);
        var published = await Desk.PublishAsync(article.Article.Id, null, null, CancellationToken.None);
        var notADocument = await Assert.ThrowsAsync<NotFoundException>(() => Reader.GetAsync(published.Article.Slug, CancellationToken.None));
        Assert.Contains("/api/articles/", notADocument.Message, StringComparison.Ordinal);
    }
}
