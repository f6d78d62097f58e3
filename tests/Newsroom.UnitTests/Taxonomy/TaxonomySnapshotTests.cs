using Newsroom.Articles;
using Newsroom.Listings;
using Newsroom.Publishing;
using Newsroom.Taxonomy;

namespace Newsroom.UnitTests.Taxonomy;

public sealed class TaxonomySnapshotTests
{
    private static readonly TaxonomySnapshot Paper = new(
    [
        new Category("kinh-te", "Kinh tế", null, 2),
        new Category("thoi-su", "Thời sự", null, 1),
        new Category("nong-nghiep", "Nông nghiệp", "kinh-te", 1),
        new Category("chan-nuoi", "Chăn nuôi", "nong-nghiep", 1),
        new Category("loop-a", "A", "loop-b"),
        new Category("loop-b", "B", "loop-a"),
    ],
    [new NewsEvent("chuyen-doi-so", "Chuyển đổi số")],
    [
        new ThemedColumn("an-toan-giao-thong", "An toàn giao thông", Order: 2) { Slug = "vi-an-toan-giao-thong", PreviousSlugs = ["an-toan-giao-thong"] },
        new ThemedColumn("guong-bac", "Học và làm theo gương Bác", Order: 1),
        new ThemedColumn("cuoc-thi-anh", "Cuộc thi ảnh", Order: 0, Active: false),
    ]);

    [Fact]
    public void Columns_answer_at_their_slugs_the_active_ones_in_editor_order_and_articles_in_them_are_listed_tagged_and_purged_under_them()
    {
        Assert.Equal(new SlugTarget("an-toan-giao-thong", Moved: false), Paper.FindColumn("vi-an-toan-giao-thong"));
        Assert.Equal(new SlugTarget("an-toan-giao-thong", Moved: true), Paper.FindColumn("an-toan-giao-thong"));
        Assert.Equal(["guong-bac", "vi-an-toan-giao-thong"], Paper.ActiveColumns().Select(c => c.Slug));

        var article = new Article
        {
            Id = "a1", Slug = "bai", Title = "Bài", Category = "thoi-su", Columns = ["an-toan-giao-thong"],
            Status = ArticleStatus.Published, PublishedAt = new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero),
        };
        Assert.Contains(ListingKey.Column("an-toan-giao-thong"), ArticleIndexer.ListingEntries(article, Paper).Select(e => e.ListingKey));
        Assert.Contains(ListingKey.Column("an-toan-giao-thong"), Newsroom.Reading.ReaderTags.For(article, Paper));
        Assert.Contains("/api/columns/vi-an-toan-giao-thong/articles", Newsroom.Edge.EdgePaths.ForChange(null, article, Paper));
    }

    [Fact]
    public void The_tree_has_top_level_sections_in_editor_order_with_their_sub_sections()
    {
        var tree = Paper.Tree();
        Assert.Equal(["thoi-su", "kinh-te"], tree.Take(2).Select(n => n.Slug));
        var kinhTe = tree.Single(n => n.Slug == "kinh-te");
        Assert.Equal("nong-nghiep", Assert.Single(kinhTe.Children).Slug);
        Assert.Equal("chan-nuoi", Assert.Single(kinhTe.Children[0].Children).Slug);
    }

    [Fact]
    public void Ancestors_are_listed_nearest_first_and_a_cycle_ends_the_walk()
    {
        Assert.Equal(["chan-nuoi", "nong-nghiep", "kinh-te"], Paper.SelfAndAncestors("chan-nuoi").Select(c => c.Slug));
        Assert.Equal(["loop-a", "loop-b"], Paper.SelfAndAncestors("loop-a").Select(c => c.Slug));
        Assert.Empty(Paper.SelfAndAncestors("khong-co"));
    }

    [Fact]
    public void A_published_article_is_listed_in_all_its_category_and_ancestors_and_its_events()
    {
        var at = new DateTimeOffset(2026, 11, 29, 1, 0, 0, TimeSpan.Zero);
        var article = new Article
        {
            Id = "a1", Slug = "a", Title = "A", Category = "chan-nuoi", Events = ["chuyen-doi-so", "chuyen-doi-so"],
            Status = ArticleStatus.Published, PublishedAt = at,
        };
        var entries = ArticleIndexer.ListingEntries(article, Paper);
        Assert.Equal(["all", "category:chan-nuoi", "category:nong-nghiep", "category:kinh-te", "event:chuyen-doi-so"], entries.Select(e => e.ListingKey));
        Assert.All(entries, e => Assert.Equal(ListingKey.RowKey(at, "a1"), e.RowKey));
        // Beside its public listings, every article is on the desk list of its state.
        Assert.Contains(ArticleIndexer.DesiredEntries(article, Paper), e => e.Index == ListingEntry.Desk && e.ListingKey == "state:published");
    }

    [Fact]
    public void An_article_records_itself_on_every_photo_it_shows_and_on_its_authors_desk_list()
    {
        var article = new Article
        {
            Id = "a2", Slug = "b", Title = "B", Category = "kinh-te", Status = ArticleStatus.Draft,
            LeadPhoto = new PhotoRef("p1"), Blocks = [new ImageBlock("p2"), new ImageBlock("p1")], Owner = new("u1", "Phóng viên"),
        };
        var entries = ArticleIndexer.DesiredEntries(article, Paper);
        Assert.Equal(["p1", "p2"], entries.Where(e => e.Index == ListingEntry.Photo).Select(e => e.ListingKey));
        Assert.Equal(["state:draft", "state:draft:owner:u1"], entries.Where(e => e.Index == ListingEntry.Desk).Select(e => e.ListingKey));
        Assert.DoesNotContain(entries, e => e.Index is null);
    }

    [Fact]
    public void A_renamed_section_answers_at_its_key_and_old_slugs_as_moved_and_a_retired_one_leaves_the_tree()
    {
        var paper = new TaxonomySnapshot(
            [new Category("thoi-su", "Thời sự nóng") { Slug = "thoi-su-nong", PreviousSlugs = ["thoi-su"] }, new Category("cu", "Cũ") { Retired = true }],
            []);
        Assert.Equal(new SlugTarget("thoi-su", Moved: false), paper.FindCategory("thoi-su-nong"));
        Assert.Equal(new SlugTarget("thoi-su", Moved: true), paper.FindCategory("thoi-su"));
        Assert.Null(paper.FindCategory("khong-co"));
        Assert.Equal(["thoi-su-nong"], paper.Tree().Select(n => n.Slug));
        Assert.Equal("thoi-su", paper.Tree()[0].Key);
    }

    [Theory]
    [InlineData(ArticleStatus.Draft)]
    [InlineData(ArticleStatus.Unpublished)]
    public void Drafts_and_unpublished_articles_are_in_no_listing(ArticleStatus status)
    {
        var article = new Article { Id = "a1", Slug = "a", Title = "A", Category = "kinh-te", Status = status, PublishedAt = DateTimeOffset.UnixEpoch };
        Assert.Empty(ArticleIndexer.ListingEntries(article, Paper));
    }
}
