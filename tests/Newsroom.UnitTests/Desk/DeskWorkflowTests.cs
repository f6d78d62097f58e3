using Newsroom.Articles;
using Newsroom.Desk;
using Newsroom.Identity;

namespace Newsroom.UnitTests.Desk;

public sealed class DeskWorkflowTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 3, 0, 0, TimeSpan.Zero);
    private static readonly DeskUser Author = new("author", "Phóng viên A", new HashSet<DeskRole> { DeskRole.Reporter });
    private static readonly DeskUser OtherReporter = new("other", "Phóng viên B", new HashSet<DeskRole> { DeskRole.Reporter });
    private static readonly DeskUser Editor = new("editor", "Biên tập viên", new HashSet<DeskRole> { DeskRole.Editor });
    private static readonly DeskUser Publisher = new("publisher", "Thư ký tòa soạn", new HashSet<DeskRole> { DeskRole.Publisher });
    private static readonly DeskUser Admin = new("admin", "Quản trị", new HashSet<DeskRole> { DeskRole.Admin });

    private static Article In(ArticleStatus status) => new()
    {
        Id = "a1",
        Slug = "bai",
        Title = "Bài",
        Category = "thoi-su",
        Status = status,
        Owner = Author.Actor,
        PublishedAt = status is ArticleStatus.Published or ArticleStatus.Unpublished or ArticleStatus.Expired ? Now.AddHours(-1) : status == ArticleStatus.Scheduled ? Now.AddHours(1) : null,
        ExpireAt = status == ArticleStatus.Expired ? Now.AddMinutes(-1) : null,
    };

    /// <summary>Who may do what from where: "ok", "403" (role) or "409" (state), for author, other reporter, editor, publisher, admin.</summary>
    public static TheoryData<ArticleStatus, DeskAction, string> Matrix => new()
    {
        { ArticleStatus.Draft, DeskAction.Edit, "ok 403 ok ok 403" },
        { ArticleStatus.Draft, DeskAction.Submit, "ok 403 ok ok 403" },
        { ArticleStatus.Draft, DeskAction.Approve, "403 403 409 409 403" },
        { ArticleStatus.Draft, DeskAction.Publish, "403 403 403 409 403" },
        { ArticleStatus.Returned, DeskAction.Edit, "ok 403 ok ok 403" },
        { ArticleStatus.Returned, DeskAction.Submit, "ok 403 ok ok 403" },
        { ArticleStatus.Submitted, DeskAction.Edit, "403 403 ok ok 403" },
        { ArticleStatus.Submitted, DeskAction.Return, "403 403 ok ok 403" },
        { ArticleStatus.Submitted, DeskAction.Approve, "403 403 ok ok 403" },
        { ArticleStatus.Submitted, DeskAction.Submit, "409 403 409 409 403" },
        { ArticleStatus.Submitted, DeskAction.Publish, "403 403 403 409 403" },
        { ArticleStatus.Approved, DeskAction.Edit, "403 403 ok ok 403" },
        { ArticleStatus.Approved, DeskAction.Return, "403 403 ok ok 403" },
        { ArticleStatus.Approved, DeskAction.Publish, "403 403 403 ok 403" },
        { ArticleStatus.Scheduled, DeskAction.Edit, "403 403 403 ok 403" },
        { ArticleStatus.Scheduled, DeskAction.Publish, "403 403 403 ok 403" },
        { ArticleStatus.Scheduled, DeskAction.Unpublish, "403 403 403 ok 403" },
        { ArticleStatus.Published, DeskAction.Edit, "403 403 403 ok 403" },
        { ArticleStatus.Published, DeskAction.Unpublish, "403 403 403 ok 403" },
        { ArticleStatus.Published, DeskAction.Correct, "403 403 403 ok 403" },
        { ArticleStatus.Published, DeskAction.Publish, "403 403 403 409 403" },
        { ArticleStatus.Published, DeskAction.Return, "403 403 409 409 403" },
        { ArticleStatus.Unpublished, DeskAction.Edit, "403 403 403 ok 403" },
        { ArticleStatus.Unpublished, DeskAction.Publish, "403 403 403 ok 403" },
        { ArticleStatus.Unpublished, DeskAction.Unpublish, "403 403 403 409 403" },
        { ArticleStatus.Expired, DeskAction.Edit, "403 403 403 ok 403" },
        { ArticleStatus.Expired, DeskAction.Publish, "403 403 403 ok 403" },
        { ArticleStatus.Expired, DeskAction.Unpublish, "403 403 403 ok 403" },
        { ArticleStatus.Expired, DeskAction.Correct, "403 403 403 409 403" },
        { ArticleStatus.Expired, DeskAction.Submit, "409 403 409 409 403" },
    };

    [Theory]
    [MemberData(nameof(Matrix))]
    public void Each_role_may_do_what_its_rank_allows_from_the_states_that_allow_it(ArticleStatus status, DeskAction action, string expected)
    {
        var article = In(status);
        var outcomes = new[] { Author, OtherReporter, Editor, Publisher, Admin }.Select(user =>
        {
            try
            {
                DeskWorkflow.Check(action, article, user, Now);
                return "ok";
            }
            catch (ForbiddenException)
            {
                return "403";
            }
            catch (ConflictException)
            {
                return "409";
            }
        });
        Assert.Equal(expected, string.Join(' ', outcomes));
    }

    [Fact]
    public void A_refused_transition_lists_the_allowed_ones()
    {
        var e = Assert.Throws<ConflictException>(() => DeskWorkflow.Check(DeskAction.Publish, In(ArticleStatus.Submitted), Publisher, Now));
        Assert.Equal(new[] { "return", "approve" }, (IEnumerable<string>)e.Members!["allowed"]!);
        Assert.Contains("returned or approved", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_refusal_for_a_missing_role_names_it()
    {
        var e = Assert.Throws<ForbiddenException>(() => DeskWorkflow.Check(DeskAction.Publish, In(ArticleStatus.Approved), Editor, Now));
        Assert.Equal("Publisher", e.Members!["requiredRole"]);
        Assert.Contains("Publisher role", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_scheduled_article_whose_time_has_come_is_published_for_the_desk()
    {
        var due = In(ArticleStatus.Scheduled) with { PublishedAt = Now.AddMinutes(-1) };
        Assert.Equal(ArticleStatus.Published, DeskWorkflow.Effective(due, Now));
        Assert.Equal(ArticleStatus.Published, DeskWorkflow.Check(DeskAction.Correct, due, Publisher, Now));
    }

    [Theory]
    [InlineData(ArticleStatus.Published)]
    [InlineData(ArticleStatus.Scheduled)]
    public void A_public_article_whose_expiry_has_come_is_expired_for_the_desk_before_the_timer_records_it(ArticleStatus status)
    {
        var article = In(status) with { PublishedAt = Now.AddHours(-2), ExpireAt = Now };
        Assert.Equal(ArticleStatus.Expired, DeskWorkflow.Effective(article, Now));
        Assert.Equal(status == ArticleStatus.Scheduled ? ArticleStatus.Published : status, DeskWorkflow.Effective(article, Now.AddTicks(-1)));
        Assert.False(article.IsPublicAt(Now));
        Assert.True(article.IsPublicAt(Now.AddTicks(-1)));
        var e = Assert.Throws<ConflictException>(() => DeskWorkflow.Check(DeskAction.Correct, article, Publisher, Now));
        Assert.Equal(new[] { "publish", "unpublish" }, (IEnumerable<string>)e.Members!["allowed"]!);
    }

    [Fact]
    public void Every_state_allows_at_least_one_way_on()
    {
        Assert.All(Enum.GetValues<ArticleStatus>(), s => Assert.NotEmpty(DeskWorkflow.Allowed(s)));
    }
}
