using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Text.Json;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Microsoft.Extensions.Logging.Abstractions;
using NetVips;
using Newsroom.Articles;
using Newsroom.Edge;
using Newsroom.Homepage;
using Newsroom.IntegrationTests.Support;
using Newsroom.Json;
using Newsroom.Photos;
using Newsroom.Publishing;
using Newsroom.Storage;
using Newsroom.Telemetry;
using Newsroom.UnitTests.Edge;

namespace Newsroom.IntegrationTests.Operations;

/// <summary>
/// What operators rely on, on real storage: an unpublished article is purged from the edge (queued after
/// the save, sent to Front Door's purge operation as the app's identity), a trace follows a publish through
/// the queue to the rebuild and an upload through the resize, and the metrics the alerts watch are recorded.
/// </summary>
public sealed class EdgeAndTelemetryTests : IAsyncLifetime, IDisposable
{
    private NewsroomTestHost _host = null!;
    private readonly List<Activity> _activities = [];
    private readonly ActivityListener _listener;
    private readonly string _dir = Directory.CreateTempSubdirectory("newsroom-ops-").FullName;

    public EdgeAndTelemetryTests()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == NewsroomTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a => { lock (_activities) { _activities.Add(a); } },
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public async Task InitializeAsync()
    {
        _host = await NewsroomTestHost.CreateAsync();
        await Fixtures.SeedTaxonomyAsync(_host);
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    public void Dispose() => _listener.Dispose();

    private IReadOnlyList<Activity> Traced(ActivityTraceId trace)
    {
        lock (_activities)
        {
            return [.. _activities.Where(a => a.TraceId == trace)];
        }
    }

    /// <summary>The next message of a queue, waited for (a purge is sent with a delay) with a generous ceiling.</summary>
    private async Task<QueueMessage> NextAsync(string queue)
    {
        var client = _host.Get<StorageClients>().Queue(queue);
        return (await Eventually.PollAsync(async () => (await client.ReceiveMessageAsync()).Value, m => m is not null, "a message in " + queue))!;
    }

    [Fact]
    public async Task Unpublishing_queues_a_purge_of_the_article_and_its_listings_that_reaches_front_door_as_the_apps_identity()
    {
        var published = await Fixtures.PublishAsync(_host, "a-lu", "Lũ quét ở Võ Nhai", _host.Time.GetUtcNow().AddHours(-1), category: "nong-nghiep", events: ["mua-lu-2026"]);
        using var change = new Activity("test.unpublish").Start();
        await _host.Get<ArticleWriter>().UpdateAsync(published.Article, published.Article with { Status = ArticleStatus.Unpublished }, published.ETag, CancellationToken.None);
        change.Stop();

        var message = await NextAsync(StorageNames.EdgePurgeQueue);
        var request = EdgePurgeRequest.FromMessage(message.Body);
        Assert.Equal(
            ["/api/articles/" + published.Article.Slug, "/api/categories/kinh-te/articles", "/api/categories/nong-nghiep/articles", "/api/events/mua-lu-2026/articles"],
            request.Paths);
        Assert.Equal(change.Id, request.TraceParent);

        // The EdgePurge function's work, with Front Door faked at the wire.
        var transport = new RecordingTransport();
        var credential = new Newsroom.UnitTests.Search.RecordingTokenCredential("app-identity-token");
        var edge = new EdgeOptions
        {
            EndpointResourceId = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Cdn/profiles/afd/afdEndpoints/news",
            Domains = ["news.azurefd.net"],
        };
        var purger = new EdgePurger(_host.Get<StorageClients>(), new FrontDoorPurgeClient(edge, credential, new EdgeClientOptions { Transport = transport }), TimeSpan.Zero, NullLogger<EdgePurger>.Instance);
        await purger.PurgeAsync(request, CancellationToken.None);

        var sent = Assert.Single(transport.Requests);
        Assert.EndsWith("/afdEndpoints/news/purge?api-version=2024-09-01", sent.Uri.ToString(), StringComparison.Ordinal);
        Assert.Equal("Bearer app-identity-token", sent.Headers["Authorization"]);
        using var body = JsonDocument.Parse(sent.Body);
        Assert.Equal(request.Paths, body.RootElement.GetProperty("contentPaths").EnumerateArray().Select(p => p.GetString()!));
        Assert.Contains(Traced(change.TraceId), a => a.OperationName == "edge.purge" && a.ParentSpanId == change.SpanId);
    }

    [Fact]
    public async Task Editing_a_draft_purges_nothing_and_without_an_edge_a_purge_is_only_logged()
    {
        var draft = await _host.Get<ArticleWriter>().CreateAsync(Fixtures.Article("a-nhap", "Bản nháp", status: ArticleStatus.Draft), CancellationToken.None);
        await _host.Get<ArticleWriter>().UpdateAsync(draft.Article, draft.Article with { Title = "Bản nháp mới" }, draft.ETag, CancellationToken.None);
        var queue = _host.Get<StorageClients>().Queue(StorageNames.EdgePurgeQueue);
        Assert.Equal(0, (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount);

        // Locally (no Edge:EndpointResourceId) the purge function succeeds without calling anything.
        await _host.Get<EdgePurger>().PurgeAsync(new EdgePurgeRequest(["/api/homepage"], "test"), CancellationToken.None);
    }

    [Fact]
    public async Task A_publish_and_the_rebuild_it_asks_for_are_one_trace_across_the_queue_and_the_rebuild_is_measured()
    {
        var durations = new List<double>();
        using var meter = Listen<double>(MetricNames.RebuildDuration, (v, _) => durations.Add(v));

        await Fixtures.PublishAsync(_host, "a-cau", "Thông xe cầu Gia Bảy", _host.Time.GetUtcNow().AddMinutes(-5));
        using var publish = new Activity("test.publish").Start();
        await _host.Get<HomepageRebuildQueue>().RequestAsync("published", "a-cau", null, CancellationToken.None);
        publish.Stop();

        var message = await NextAsync(StorageNames.HomepageRebuildQueue);
        var request = JsonSerializer.Deserialize<HomepageRebuildRequest>(message.Body.ToMemory().Span, NewsroomJson.Stored)!;
        Assert.Equal(publish.Id, request.TraceParent);
        Assert.Equal(RebuildOutcome.Published, await _host.Get<HomepagePublisher>().RebuildIfOlderThanAsync(request.At, CancellationToken.None, request.TraceParent));

        var rebuild = Assert.Single(Traced(publish.TraceId), a => a.OperationName == "homepage.rebuild");
        Assert.Equal(publish.SpanId, rebuild.ParentSpanId);
        Assert.Equal(ActivityKind.Consumer, rebuild.Kind);
        Assert.Equal("Published", rebuild.GetTagItem("newsroom.rebuild.outcome"));
        Assert.NotEmpty(durations);

        // A new homepage is purged from the edge, in the same trace.
        var purge = EdgePurgeRequest.FromMessage((await NextAsync(StorageNames.EdgePurgeQueue)).Body);
        Assert.Equal([EdgePaths.Homepage], purge.Paths);
        Assert.Equal(publish.TraceId, ActivityContext.Parse(purge.TraceParent!, null).TraceId);
    }

    [Fact]
    public async Task An_upload_and_its_resize_are_one_trace_and_the_pipeline_time_counts_from_the_upload()
    {
        var pipeline = new List<double>();
        using var meter = Listen<double>(MetricNames.PhotoPipelineDuration, (v, _) => pipeline.Add(v));
        var path = Path.Combine(_dir, "anh.jpg");
        using (var image = (Image.Black(800, 600, bands: 3) + new double[] { 30, 120, 200 }).Cast(Enums.BandFormat.Uchar))
        {
            image.Jpegsave(path);
        }

        using var upload = new Activity("test.upload").Start();
        PhotoRecord photo;
        await using (var file = await PhotoUpload.FromFileAsync(path, "Chú thích", "Ảnh: Thu Hà", "Mô tả", CancellationToken.None))
        {
            photo = await _host.Get<PhotoService>().AcceptAsync(file, CancellationToken.None);
        }
        upload.Stop();

        var job = PhotoJob.FromMessage((await NextAsync(StorageNames.PhotoJobsQueue)).Body);
        Assert.Equal(photo.Id, job.PhotoId);
        _host.Time.Advance(TimeSpan.FromSeconds(3));
        await _host.Get<PhotoProcessor>().ProcessAsync(job, 1, CancellationToken.None);

        var spans = Traced(upload.TraceId);
        var accepted = Assert.Single(spans, a => a.OperationName == "photo.upload");
        Assert.Equal(upload.SpanId, accepted.ParentSpanId);
        var resize = Assert.Single(spans, a => a.OperationName == "photo.resize");
        Assert.Equal(accepted.SpanId, resize.ParentSpanId);
        Assert.Contains(3000d, pipeline);
    }

    [Fact]
    public async Task The_health_sample_records_the_snapshots_age_and_every_poison_queues_length()
    {
        var ages = new List<double>();
        var poison = new List<(long Value, string Queue)>();
        using var ageMeter = Listen<double>(MetricNames.SnapshotAge, (v, _) => ages.Add(v));
        using var poisonMeter = Listen<long>(MetricNames.PoisonMessages, (v, tags) => poison.Add((v, (string)tags.ToArray().Single(t => t.Key == "queue").Value!)));

        await _host.Get<HomepagePublisher>().RebuildAsync(CancellationToken.None);
        await _host.Get<StorageClients>().Queue(StorageNames.HomepageRebuildQueue + StorageNames.PoisonSuffix).SendMessageAsync("gave up");
        _host.Time.Advance(TimeSpan.FromMinutes(7));

        var sample = await _host.Get<HealthSampler>().SampleAsync(CancellationToken.None);

        Assert.Equal(420, sample.SnapshotAgeSeconds);
        Assert.Contains(420d, ages);
        Assert.Equal(1, sample.PoisonMessages[StorageNames.HomepageRebuildQueue + StorageNames.PoisonSuffix]);
        Assert.Equal(HealthSampler.PoisonQueues.Order(), sample.PoisonMessages.Keys.Order());
        Assert.Contains((1L, StorageNames.HomepageRebuildQueue + StorageNames.PoisonSuffix), poison);
    }

    [Fact]
    public async Task With_a_renditions_account_of_its_own_renditions_are_written_there_and_served_from_there_and_the_data_account_holds_none()
    {
        var renditionsAccount = await SharedAzurite.NewAccountAsync();
        await using var host = await NewsroomTestHost.CreateAsync(new Dictionary<string, string?>
        {
            [RenditionsStorageOptions.SectionName + ":ConnectionString"] = renditionsAccount,
        });
        var path = Path.Combine(_dir, "rieng.jpg");
        using (var image = (Image.Black(700, 500, bands: 3) + 90).Cast(Enums.BandFormat.Uchar))
        {
            image.Jpegsave(path);
        }
        PhotoRecord photo;
        await using (var file = await PhotoUpload.FromFileAsync(path, "Chú thích", "Ảnh", "Mô tả", CancellationToken.None))
        {
            photo = await host.Get<PhotoService>().AcceptAsync(file, CancellationToken.None);
        }
        await host.Get<PhotoProcessor>().ProcessAsync(new PhotoJob(photo.Id), 1, CancellationToken.None);

        var apart = new Azure.Storage.Blobs.BlobServiceClient(renditionsAccount).GetBlobContainerClient(StorageNames.RenditionsContainerName);
        var written = await apart.GetBlobsAsync(new Azure.Storage.Blobs.Models.GetBlobsOptions { Prefix = photo.Id + "/" }).Select(b => b.Name).ToListAsync();
        Assert.NotEmpty(written);
        var data = new Azure.Storage.Blobs.BlobServiceClient(host.ConnectionString).GetBlobContainerClient(StorageNames.RenditionsContainerName);
        Assert.False(await data.ExistsAsync() && await data.GetBlobsAsync(new Azure.Storage.Blobs.Models.GetBlobsOptions { Prefix = photo.Id + "/" }).AnyAsync());
        var ready = (await host.Get<PhotoStore>().GetAsync(photo.Id, CancellationToken.None))!.Value.Photo;
        Assert.Equal(PhotoStatus.Ready, ready.Status);
        Assert.Equal(written.Count, ready.Renditions.Count);
        Assert.All(ready.Renditions, r => Assert.Contains(written, w => r.Url.EndsWith(w, StringComparison.Ordinal)));
        Assert.True((await apart.GetPropertiesAsync()).Value.PublicAccess == Azure.Storage.Blobs.Models.PublicAccessType.Blob);
    }

    private static MeterListener Listen<T>(string instrument, Action<T, ReadOnlySpan<KeyValuePair<string, object?>>> record) where T : struct
    {
        var listener = new MeterListener
        {
            InstrumentPublished = (i, l) =>
            {
                if (i.Meter.Name == NewsroomTelemetry.Name && i.Name == instrument)
                {
                    l.EnableMeasurementEvents(i);
                }
            },
        };
        var gate = new object();
        listener.SetMeasurementEventCallback<T>((_, value, tags, _) =>
        {
            lock (gate)
            {
                record(value, tags);
            }
        });
        listener.Start();
        return listener;
    }
}
