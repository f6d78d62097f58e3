using Newsroom.Articles;
using Newsroom.Edge;
using Newsroom.Taxonomy;

namespace Newsroom.UnitTests.Edge;

public sealed class EdgePathsTests
{
    private static readonly TaxonomySnapshot Paper = new(
        [new Category("xa-hoi", "Xã hội"), new Category("giao-duc", "Giáo dục", Parent: "xa-hoi") { Slug = "giao-duc-dao-tao", PreviousSlugs = ["giao-duc"] }, new Category("kinh-te", "Kinh tế")],
        [new NewsEvent("dai-hoi", "Đại hội Đảng") { Slug = "dai-hoi-dang" }]);

    private static Article Make(ArticleStatus status, string slug = "khai-giang", string category = "giao-duc", params string[] events) => new()
    {
        Id = "a1", Slug = slug, Title = "Khai giảng", Category = category, Status = status, Events = events,
        PublishedAt = new DateTimeOffset(2026, 11, 29, 1, 0, 0, TimeSpan.Zero),
    };

    [Fact]
    public void Unpublishing_purges_the_article_its_section_the_sections_above_it_and_its_running_stories_by_their_public_slugs()
    {
        var paths = EdgePaths.ForChange(Make(ArticleStatus.Published, events: "dai-hoi"), Make(ArticleStatus.Unpublished, events: "dai-hoi"), Paper);
        Assert.Equal(
            ["/api/articles/khai-giang", "/api/categories/giao-duc-dao-tao/articles", "/api/categories/xa-hoi/articles", "/api/events/dai-hoi-dang/articles"],
            paths);
    }

    [Fact]
    public void An_edit_that_moves_and_retitles_a_published_article_purges_where_it_was_and_where_it_is()
    {
        var paths = EdgePaths.ForChange(Make(ArticleStatus.Published), Make(ArticleStatus.Published, slug: "le-khai-giang", category: "kinh-te"), Paper);
        Assert.Contains("/api/articles/khai-giang", paths);
        Assert.Contains("/api/articles/le-khai-giang", paths);
        Assert.Contains("/api/categories/giao-duc-dao-tao/articles", paths);
        Assert.Contains("/api/categories/kinh-te/articles", paths);
    }

    [Theory]
    [InlineData(ArticleStatus.Draft, ArticleStatus.Submitted)]
    [InlineData(ArticleStatus.Submitted, ArticleStatus.Approved)]
    [InlineData(ArticleStatus.Unpublished, ArticleStatus.Draft)]
    public void A_change_readers_never_saw_purges_nothing(ArticleStatus before, ArticleStatus after) =>
        Assert.Empty(EdgePaths.ForChange(Make(before), Make(after), Paper));

    [Fact]
    public void A_photos_renditions_are_purged_by_a_wildcard_under_its_id() =>
        Assert.Equal("/renditions/p123/*", EdgePaths.Renditions("p123"));
}
