using Newsroom.Articles;
using Newsroom.Desk;
using Newsroom.Identity;
using Newsroom.Publishing;

namespace Newsroom.IntegrationTests.Support;

/// <summary>Newsroom staff for tests that call the desk directly.</summary>
public static class DeskUsers
{
    public static readonly DeskUser Reporter = User("u-reporter", "Hoàng Minh Đức", DeskRole.Reporter);
    public static readonly DeskUser OtherReporter = User("u-reporter-2", "Vũ Đình Khải", DeskRole.Reporter);
    public static readonly DeskUser Editor = User("u-editor", "Lương Thị Thu Hà", DeskRole.Editor);
    public static readonly DeskUser Publisher = User("u-publisher", "Đặng Quốc Việt", DeskRole.Publisher);
    public static readonly DeskUser Admin = User("u-admin", "Nguyễn Thị Lan", DeskRole.Admin);

    public static DeskUser User(string id, string name, params DeskRole[] roles) => new(id, name, roles.ToHashSet());
}

/// <summary>
/// The desk as one person who may do everything a publisher may: for tests about what publishing does
/// (listings, slugs, scheduling), where the review steps are only the way there.
/// </summary>
public sealed class PublisherDesk(ArticleDesk desk)
{
    private static readonly DeskUser Me = DeskUsers.Publisher;

    public Task<DeskResult> CreateAsync(ArticleInput input, CancellationToken cancellationToken) => desk.CreateAsync(Me, input, cancellationToken);

    public Task<DeskResult> GetAsync(string id, CancellationToken cancellationToken) => desk.GetAsync(Me, id, cancellationToken);

    public Task<DeskResult> ReplaceAsync(string id, ArticleInput input, string? ifMatch, CancellationToken cancellationToken) =>
        desk.ReplaceAsync(Me, id, input, ifMatch, cancellationToken);

    /// <summary>Submits and approves it first if it is not yet approved, then publishes (or schedules) it.</summary>
    public async Task<DeskResult> PublishAsync(string id, DateTimeOffset? publishAt, string? ifMatch, CancellationToken cancellationToken)
    {
        var current = await desk.GetAsync(Me, id, cancellationToken);
        if (current.Article.Status is ArticleStatus.Draft or ArticleStatus.Returned)
        {
            current = await desk.SubmitAsync(Me, id, ifMatch, null, cancellationToken);
            ifMatch = ifMatch is null ? null : current.ETag;
        }
        if (current.Article.Status is ArticleStatus.Submitted)
        {
            current = await desk.ApproveAsync(Me, id, ifMatch, null, cancellationToken);
            ifMatch = ifMatch is null ? null : current.ETag;
        }
        return await desk.PublishAsync(Me, id, publishAt, ifMatch, null, cancellationToken);
    }

    public Task<DeskResult> UnpublishAsync(string id, string? ifMatch, CancellationToken cancellationToken) =>
        desk.UnpublishAsync(Me, id, ifMatch, null, cancellationToken);
}
