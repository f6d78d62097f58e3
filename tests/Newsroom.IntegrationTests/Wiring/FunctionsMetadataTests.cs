using Newsroom.LocalHost.Hosting;
using Newsroom.Storage;

namespace Newsroom.IntegrationTests.Wiring;

/// <summary>
/// Reads the functions.metadata the Worker SDK wrote at build: what the real Azure host would run. Catches
/// wiring regressions (a trigger type, route, schedule or queue name) that only Azure would otherwise see,
/// and proves the local host can run every function in it.
/// </summary>
public sealed class FunctionsMetadataTests
{
    private static readonly IReadOnlyList<FunctionMetadata> Functions = FunctionMetadata.Load(FunctionMetadata.DefaultPath);

    [Fact]
    public void Every_function_uses_a_trigger_the_local_host_runs() =>
        Assert.All(Functions, f => Assert.Contains(f.Trigger.Type, new[] { "httpTrigger", "timerTrigger", "queueTrigger" }));

    [Theory]
    [InlineData("GetArticle", "articles/{slug}", "Anonymous", "get")]
    [InlineData("GetCategories", "categories", "Anonymous", "get")]
    [InlineData("GetCategoryArticles", "categories/{slug}/articles", "Anonymous", "get")]
    [InlineData("GetEventArticles", "events/{slug}/articles", "Anonymous", "get")]
    public void Public_routes_are_anonymous_gets(string name, string route, string authLevel, string method)
    {
        var trigger = Functions.Single(f => f.Name == name).Trigger;
        Assert.Equal("httpTrigger", trigger.Type);
        Assert.Equal(route, trigger.Get("route"));
        Assert.Equal(authLevel, trigger.Get("authLevel"));
        Assert.Contains(method, trigger.GetList("methods"));
    }

    [Theory]
    [InlineData("CreateArticle", "articles", "post")]
    [InlineData("ReplaceArticle", "articles/{id}", "put")]
    [InlineData("GetDraft", "articles/{id}/draft", "get")]
    [InlineData("SubmitArticle", "articles/{id}/submit", "post")]
    [InlineData("ReturnArticle", "articles/{id}/return", "post")]
    [InlineData("ApproveArticle", "articles/{id}/approve", "post")]
    [InlineData("PublishArticle", "articles/{id}/publish", "post")]
    [InlineData("UnpublishArticle", "articles/{id}/unpublish", "post")]
    [InlineData("CorrectArticle", "articles/{id}/corrections", "post")]
    [InlineData("GetArticleHistory", "articles/{id}/history", "get")]
    [InlineData("GetArticleRevision", "articles/{id}/revisions/{revision}", "get")]
    [InlineData("PreviewArticle", "articles/{id}/preview", "get")]
    [InlineData("ListDeskArticles", "desk/articles", "get")]
    [InlineData("ListDeskPhotos", "desk/photos", "get")]
    [InlineData("UploadPhoto", "photos", "post")]
    [InlineData("DeletePhoto", "photos/{id}", "delete")]
    [InlineData("GetHomepageLayout", "homepage/layout", "get")]
    [InlineData("PutHomepageLayout", "homepage/layout", "put")]
    [InlineData("CreateCategory", "categories", "post")]
    [InlineData("UpdateCategory", "categories/{slug}", "put")]
    [InlineData("CreateEvent", "events", "post")]
    [InlineData("UpdateEvent", "events/{slug}", "put")]
    public void Desk_routes_are_open_to_the_host_and_sign_in_with_a_bearer_token_in_the_app(string name, string route, string method)
    {
        var trigger = Functions.Single(f => f.Name == name).Trigger;
        Assert.Equal(route, trigger.Get("route"));
        // A function key no longer grants anything: the app validates the Entra ID token of every desk call.
        Assert.Equal("Anonymous", trigger.Get("authLevel"));
        Assert.Equal([method], trigger.GetList("methods"));
    }

    [Fact]
    public void No_function_hangs_on_a_function_key_and_the_development_token_issuer_is_not_in_the_app()
    {
        var http = Functions.Where(f => f.Trigger.Type == "httpTrigger").ToList();
        Assert.All(http, f => Assert.Equal("Anonymous", f.Trigger.Get("authLevel")));
        Assert.DoesNotContain(http, f => f.Trigger.Get("route")!.StartsWith("dev", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void Scheduled_articles_are_promoted_by_a_timer() =>
        Assert.Equal("timerTrigger", Functions.Single(f => f.Name == "PublishScheduled").Trigger.Type);

    [Fact]
    public void The_homepage_is_public_and_rebuilt_by_a_timer_from_an_app_setting_and_by_a_queue()
    {
        Assert.Equal("Anonymous", Functions.Single(f => f.Name == "GetHomepage").Trigger.Get("authLevel"));
        var timer = Functions.Single(f => f.Name == "HomepageRefresh").Trigger;
        Assert.Equal("timerTrigger", timer.Type);
        Assert.Equal("%" + Newsroom.Homepage.HomepageOptions.ScheduleSetting + "%", timer.Get("schedule"));
        var queue = Functions.Single(f => f.Name == "HomepageRebuildRequested").Trigger;
        Assert.Equal(StorageNames.HomepageRebuildQueue, queue.Get("queueName"));
    }

    [Fact]
    public void Queue_triggers_listen_on_queues_the_code_writes_to_with_their_poison_queues_provisioned()
    {
        foreach (var trigger in Functions.Select(f => f.Trigger).Where(t => t.Type == "queueTrigger"))
        {
            Assert.Contains(trigger.Get("queueName"), StorageNames.AllQueues);
            // A poison queue has no poison queue of its own (the host gives it none).
            Assert.True(trigger.Get("queueName")!.EndsWith("-poison", StringComparison.Ordinal) || StorageNames.AllQueues.Contains(trigger.Get("queueName") + "-poison"));
            Assert.Equal(StorageOptions.SectionName, trigger.Get("connection"));
            // The host looks "X" up as "AzureWebJobsX" first: "Storage" would be the host's own account.
            Assert.NotEqual("Storage", trigger.Get("connection"));
        }
    }

    [Fact]
    public void Host_json_sets_the_api_route_prefix_and_a_poison_threshold_the_photo_worker_agrees_with()
    {
        var host = HostJson.Load(HostJson.DefaultPath);
        Assert.Equal("api", host.RoutePrefix);
        Assert.InRange(host.MaxDequeueCount, 2, 10);
        // The worker marks a photo failed on its last attempt: it must know which attempt is the last.
        Assert.Equal(host.MaxDequeueCount, new Newsroom.Photos.PhotoOptions().MaxAttempts);
    }

    [Fact]
    public void Photos_are_read_anonymously_and_resize_from_their_queue()
    {
        var get = Functions.Single(f => f.Name == "GetPhoto").Trigger;
        Assert.Equal(("photos/{id}", "Anonymous"), (get.Get("route"), get.Get("authLevel")));
        var resize = Functions.Single(f => f.Name == "PhotoResize").Trigger;
        Assert.Equal(("queueTrigger", StorageNames.PhotoJobsQueue), (resize.Type, resize.Get("queueName")));
    }
}
