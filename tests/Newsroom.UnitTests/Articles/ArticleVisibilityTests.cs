using Newsroom.Articles;

namespace Newsroom.UnitTests.Articles;

public sealed class ArticleVisibilityTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 29, 8, 0, 0, TimeSpan.Zero);

    private static Article Make(ArticleStatus status, DateTimeOffset? publishedAt) => new()
    {
        Id = "a1", Slug = "a", Title = "A", Category = "thoi-su", Status = status, PublishedAt = publishedAt,
    };

    [Theory]
    [InlineData(ArticleStatus.Published, -1, true)]
    [InlineData(ArticleStatus.Published, 0, true)]
    [InlineData(ArticleStatus.Scheduled, -1, true)]
    [InlineData(ArticleStatus.Scheduled, 1, false)]
    [InlineData(ArticleStatus.Published, 1, false)]
    [InlineData(ArticleStatus.Draft, -1, false)]
    [InlineData(ArticleStatus.Unpublished, -1, false)]
    public void Only_published_or_scheduled_articles_whose_time_has_come_are_public(ArticleStatus status, int minutesFromNow, bool expected) =>
        Assert.Equal(expected, Make(status, Now.AddMinutes(minutesFromNow)).IsPublicAt(Now));

    [Fact]
    public void A_published_article_without_a_time_is_not_public() =>
        Assert.False(Make(ArticleStatus.Published, null).IsPublicAt(Now));
}
