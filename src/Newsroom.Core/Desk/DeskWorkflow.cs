using Newsroom.Articles;
using Newsroom.Identity;

namespace Newsroom.Desk;

/// <summary>What can be done to an article at the desk.</summary>
public enum DeskAction
{
    Edit,
    Submit,
    Return,
    Approve,
    Publish,
    Unpublish,
    Correct,
}

/// <summary>
/// The article's path through the desk, and who may move it: draft → submitted ("chờ duyệt") → approved →
/// scheduled or published → unpublished, or expired ("hết hạn") when its expiry comes, with returned ("trả lại")
/// sending it back to its author. Pure rules: the desk service asks before every write, and the tests check the whole role × action × state table.
/// <list type="bullet">
/// <item>Reporters create, edit their own drafts and returned articles, and submit them.</item>
/// <item>Editors also edit anything not yet scheduled or published, return and approve.</item>
/// <item>Publishers also publish, schedule, unpublish, edit scheduled and published articles and correct them.</item>
/// </list>
/// </summary>
public static class DeskWorkflow
{
    private static readonly Dictionary<ArticleStatus, DeskAction[]> Transitions = new()
    {
        [ArticleStatus.Draft] = [DeskAction.Submit],
        [ArticleStatus.Returned] = [DeskAction.Submit],
        [ArticleStatus.Submitted] = [DeskAction.Return, DeskAction.Approve],
        [ArticleStatus.Approved] = [DeskAction.Return, DeskAction.Publish],
        [ArticleStatus.Scheduled] = [DeskAction.Publish, DeskAction.Unpublish],
        [ArticleStatus.Published] = [DeskAction.Unpublish, DeskAction.Correct],
        [ArticleStatus.Unpublished] = [DeskAction.Publish],
        [ArticleStatus.Expired] = [DeskAction.Publish, DeskAction.Unpublish],
    };

    /// <summary>
    /// The state an article is in for the desk: a scheduled article whose time has come is published, and a public
    /// one whose expiry has come is expired, before the timer records either.
    /// </summary>
    public static ArticleStatus Effective(Article article, DateTimeOffset now) => article.Status switch
    {
        ArticleStatus.Scheduled or ArticleStatus.Published when article.IsExpiredAt(now) => ArticleStatus.Expired,
        ArticleStatus.Scheduled when article.IsPublicAt(now) => ArticleStatus.Published,
        _ => article.Status,
    };

    /// <summary>The transitions the state allows (editing is allowed in every state, to the right role).</summary>
    public static IReadOnlyList<DeskAction> Allowed(ArticleStatus status) => Transitions[status];

    /// <summary>The role <paramref name="user"/> needs to do <paramref name="action"/> to <paramref name="article"/> in <paramref name="status"/>.</summary>
    public static DeskRole RoleNeeded(DeskAction action, ArticleStatus status, Article article, DeskUser user) => action switch
    {
        DeskAction.Edit => status switch
        {
            ArticleStatus.Draft or ArticleStatus.Returned => IsOwner(article, user) ? DeskRole.Reporter : DeskRole.Editor,
            ArticleStatus.Submitted or ArticleStatus.Approved => DeskRole.Editor,
            _ => DeskRole.Publisher,
        },
        DeskAction.Submit => IsOwner(article, user) ? DeskRole.Reporter : DeskRole.Editor,
        DeskAction.Return or DeskAction.Approve => DeskRole.Editor,
        _ => DeskRole.Publisher,
    };

    /// <summary>
    /// Refuses with 403 (naming the role) if the user may not do this, or 409 (listing what the state allows)
    /// if the state does not allow it; otherwise returns the state the article is in.
    /// </summary>
    public static ArticleStatus Check(DeskAction action, Article article, DeskUser user, DateTimeOffset now)
    {
        var status = Effective(article, now);
        user.Require(RoleNeeded(action, status, article, user), Describe(action, status, IsOwner(article, user)));
        if (action != DeskAction.Edit && !Allowed(status).Contains(action))
        {
            var allowed = Allowed(status).Select(Verb).ToList();
            throw new ConflictException(
                $"A {DeskIndex.Name(status)} article cannot be {Participle(action)}; it can be {string.Join(" or ", allowed.Select(Participle))}.")
            {
                Members = new Dictionary<string, object?> { ["allowed"] = allowed },
            };
        }
        return status;
    }

    public static bool IsOwner(Article article, DeskUser user) => article.Owner?.Id == user.Id;

    /// <summary>The action as it appears in URLs: "submit", "return", …</summary>
    public static string Verb(DeskAction action) => action.ToString().ToLowerInvariant();

    private static string Participle(DeskAction action) => Participle(Verb(action));

    private static string Participle(string verb) => verb switch
    {
        "submit" => "submitted",
        "return" => "returned",
        "approve" => "approved",
        "publish" => "published",
        "unpublish" => "unpublished",
        "correct" => "corrected",
        _ => "edited",
    };

    private static string Describe(DeskAction action, ArticleStatus status, bool own) => action switch
    {
        DeskAction.Edit => $"edit {(own ? "your" : "a")} {DeskIndex.Name(status)} article",
        DeskAction.Submit => own ? "submit an article" : "submit someone else's article",
        DeskAction.Correct => "attach a correction",
        _ => Verb(action) + " an article",
    };
}
