using Newsroom.Articles;
using Newsroom.Publishing;
using Newsroom.Taxonomy;

namespace Newsroom.IntegrationTests.Support;

/// <summary>Small newspaper fixtures written for the tests.</summary>
public static class Fixtures
{
    public static async Task SeedTaxonomyAsync(NewsroomTestHost host)
    {
        var store = host.Get<TaxonomyStore>();
        await store.UpsertAsync(new Category("thoi-su", "Thời sự", null, 1), CancellationToken.None);
        await store.UpsertAsync(new Category("kinh-te", "Kinh tế", null, 2), CancellationToken.None);
        await store.UpsertAsync(new Category("nong-nghiep", "Nông nghiệp", "kinh-te", 1), CancellationToken.None);
        await store.UpsertAsync(new NewsEvent("chuyen-doi-so", "Chuyển đổi số"), CancellationToken.None);
        await store.UpsertAsync(new NewsEvent("mua-lu-2026", "Mùa lũ 2026"), CancellationToken.None);
    }

    public static Article Article(string id, string title, string category = "thoi-su", string[]? events = null,
        ArticleStatus status = ArticleStatus.Published, DateTimeOffset? publishedAt = null) => new()
    {
        Id = id,
        Slug = "",
        Title = title,
        Summary = "Tóm tắt: " + title,
        Category = category,
        Events = events ?? [],
        Blocks = [new ParagraphBlock("Nội dung bài " + title), new ImageBlock("p-" + id, "Chú thích", "Ảnh: Thu Hà")],
        Authors = [new Author("Hoàng Minh Đức", "Phóng viên")],
        LeadPhoto = new PhotoRef("p-" + id, "Chú thích ảnh đại diện", "Ảnh: Thu Hà"),
        Status = status,
        PublishAt = publishedAt,
        PublishedAt = status is ArticleStatus.Draft ? null : publishedAt,
    };

    public static async Task<StoredArticle> PublishAsync(NewsroomTestHost host, string id, string title, DateTimeOffset publishedAt,
        string category = "thoi-su", string[]? events = null, ArticleStatus status = ArticleStatus.Published) =>
        await host.Get<ArticleWriter>().CreateAsync(Article(id, title, category, events, status, publishedAt), CancellationToken.None);
}
