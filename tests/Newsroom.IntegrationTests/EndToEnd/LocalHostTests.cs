using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using Microsoft.Extensions.DependencyInjection;
using NetVips;
using Newsroom.Articles;
using Newsroom.IntegrationTests.Support;
using Newsroom.Json;
using Newsroom.LocalHost.Hosting;
using Newsroom.Photos;
using Newsroom.Storage;

namespace Newsroom.IntegrationTests.EndToEnd;

/// <summary>
/// The local host behaves as the Functions host does: it runs the Functions app's own process and pipeline,
/// its triggers have the host's semantics, and what the app promises (uploads to the limit, problem+json,
/// Vietnam time, an editor seeing their own publish) holds over HTTP.
/// </summary>
public sealed class LocalHostTests(EmptyLocalHostFixture fixture) : IClassFixture<EmptyLocalHostFixture>
{
    private HttpClient Client => fixture.Client;

    private DeskClient? _desk;

    /// <summary>The editor-in-chief, signed in with a token from the local host's development issuer.</summary>
    private async Task<DeskClient> DeskAsync() => _desk ??= await DeskClient.PublisherAsync(Client);

    private async Task<HttpRequestMessage> Editor(HttpMethod method, string path, object? body = null) => (await DeskAsync()).Request(method, path, body);

    private async Task<JsonElement> CreateAsync(string title)
    {
        using var created = await Client.SendAsync(await Editor(HttpMethod.Post, "/api/articles", new
        {
            title,
            summary = "Tóm tắt.",
            category = "thoi-su",
            blocks = new object[] { new { type = "paragraph", text = "Nội dung." } },
        }));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement;
    }

    [Fact]
    public void The_worker_indexed_exactly_the_functions_the_build_wrote_into_functions_metadata()
    {
        var built = FunctionMetadata.Load(FunctionMetadata.DefaultPath).Select(f => (f.Name, f.Trigger.Type)).Order().ToList();
        var loaded = fixture.Host.Worker.Functions.Select(f => (f.Name, f.Trigger.Type)).Order().ToList();
        Assert.Equal(built, loaded);
        Assert.All(fixture.Host.Worker.Functions, f => Assert.False(string.IsNullOrEmpty(f.FunctionId)));
    }

    [Fact]
    public async Task An_unexpected_failure_in_a_function_reaches_the_client_as_problem_json_through_the_apps_middleware()
    {
        var draft = await CreateAsync("Bài sẽ hỏng");
        var id = draft.GetProperty("id").GetString()!;
        Assert.Equal("published", (await (await DeskAsync()).PublishAsync(id)).Status);
        // The page readers are served from, kept ready under the slug, no longer decodes.
        var table = fixture.Storage.Get<StorageClients>().Table(StorageNames.SlugsTableName);
        var entity = (await table.GetEntityAsync<TableEntity>(draft.GetProperty("slug").GetString(), "page")).Value;
        entity["Doc00"] = new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 };
        entity["DocLength"] = 8;
        await table.UpdateEntityAsync(entity, entity.ETag, TableUpdateMode.Replace);

        using var response = await Client.GetAsync("/api/articles/" + draft.GetProperty("slug").GetString());

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("has been logged", body, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", body, StringComparison.Ordinal);
        Assert.DoesNotContain("Brotli", body, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_publish_time_without_an_offset_is_vietnam_time_and_every_time_returned_is_in_vietnam_time()
    {
        var draft = await CreateAsync("Tin hẹn giờ sáng mai");
        Assert.EndsWith("+07:00", draft.GetProperty("createdAt").GetString(), StringComparison.Ordinal);
        var tomorrow = DateTimeOffset.UtcNow.AddDays(1).ToOffset(TimeSpan.FromHours(7)).Date;
        var wallClock = tomorrow.AddHours(6).ToString("yyyy-MM-dd'T'HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);

        var article = (await (await DeskAsync()).PublishAsync(draft.GetProperty("id").GetString()!, wallClock)).Json;
        Assert.Equal("scheduled", article.GetProperty("status").GetString());
        Assert.Equal(wallClock + "+07:00", article.GetProperty("publishAt").GetString());
        foreach (var field in new[] { "publishedAt", "createdAt", "updatedAt" })
        {
            Assert.EndsWith("+07:00", article.GetProperty(field).GetString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task The_editor_who_publishes_reads_the_article_and_its_listing_at_once_although_readers_caches_are_on()
    {
        var draft = await CreateAsync("Tin vừa đăng xong");
        var slug = draft.GetProperty("slug").GetString()!;
        using (var before = await Client.GetAsync("/api/articles/" + slug))
        {
            Assert.Equal(HttpStatusCode.NotFound, before.StatusCode); // now cached as missing for Reader:CacheSeconds
        }
        var listing = await Client.GetStringAsync("/api/categories/thoi-su/articles");

        Assert.Equal("published", (await (await DeskAsync()).PublishAsync(draft.GetProperty("id").GetString()!)).Status);

        using var after = await Client.GetAsync("/api/articles/" + slug);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        Assert.Contains(slug, await Client.GetStringAsync("/api/categories/thoi-su/articles"), StringComparison.Ordinal);
        Assert.DoesNotContain(slug, listing, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_48_megapixel_jpeg_over_30_mb_is_accepted_and_made_into_renditions_and_one_over_40_mb_is_413()
    {
        var dir = Directory.CreateTempSubdirectory("newsroom-big-").FullName;
        try
        {
            var big = BigJpeg(dir, sigma: 24, quality: 93);
            Assert.InRange(new FileInfo(big).Length, 30_000_001, 40L * 1024 * 1024 - 100_000);
            using (var accepted = await UploadAsync(big))
            {
                Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
                var photo = await Eventually.PollAsync(async () => JsonDocument.Parse(await Client.GetStringAsync(accepted.Headers.Location)).RootElement,
                    p => p.GetProperty("status").GetString() != "processing", "the 48 MP photo to be processed");
                Assert.Equal("ready", photo.GetProperty("status").GetString());
                Assert.Contains(photo.GetProperty("renditions").EnumerateArray(), r => r.GetProperty("width").GetInt32() == 2560);
            }

            var tooBig = BigJpeg(dir, sigma: 48, quality: 97);
            Assert.True(new FileInfo(tooBig).Length > 40L * 1024 * 1024);
            using var refused = await UploadAsync(tooBig);
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, refused.StatusCode);
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>8000×6000 (48 MP), gradients under sensor-like noise: as large as a full-frame camera's JPEG.</summary>
    private static string BigJpeg(string dir, double sigma, int quality)
    {
        const int W = 8000, H = 6000;
        using var xy = Image.Xyz(W, H);
        using var noise = Image.Gaussnoise(W, H, sigma: sigma, mean: 128, seed: 7);
        using var r = ((xy[0] * (255.0 / W) * 0.5) + (noise * 0.5)).Cast(Enums.BandFormat.Uchar);
        using var g = ((xy[1] * (255.0 / H) * 0.5) + (noise * 0.5)).Cast(Enums.BandFormat.Uchar);
        using var b = noise.Cast(Enums.BandFormat.Uchar);
        using var rgb = r.Bandjoin(g, b).Copy(interpretation: Enums.Interpretation.Srgb);
        var path = Path.Combine(dir, $"camera-{sigma}-{quality}.jpg");
        rgb.Jpegsave(path, q: quality, subsampleMode: Enums.ForeignSubsample.Off);
        return path;
    }

    private async Task<HttpResponseMessage> UploadAsync(string path)
    {
        using var form = new MultipartFormDataContent();
        var file = new StreamContent(File.OpenRead(path));
        file.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
        form.Add(file, "file", Path.GetFileName(path));
        form.Add(new StringContent("Ảnh máy ảnh full-frame"), "caption");
        var request = await Editor(HttpMethod.Post, "/api/photos");
        request.Content = form;
        return await Client.SendAsync(request);
    }

    /// <summary>A photo record in processing with its original stored, and no job sent: whatever happens next is up to the test.</summary>
    private async Task<string> ProcessingPhotoAsync()
    {
        var id = "p" + Guid.NewGuid().ToString("N")[..20];
        var blob = $"{id}/0123456789abcdef";
        using (var image = (Image.Black(320, 240, bands: 3) + 90).Cast(Enums.BandFormat.Uchar))
        {
            await fixture.Storage.Get<StorageClients>().Container(StorageNames.PhotoOriginalsContainerName).GetBlobClient(blob).UploadAsync(new BinaryData(image.JpegsaveBuffer()));
        }
        var photos = fixture.Storage.Get<PhotoStore>();
        await photos.MarkPendingAsync(id, blob, DateTimeOffset.UtcNow, CancellationToken.None);
        await photos.InsertAsync(new PhotoRecord { Id = id, CreatedAt = DateTimeOffset.UtcNow, OriginalBlob = blob, ContentHash = "0123456789abcdef" }, CancellationToken.None);
        return id;
    }

    private async Task<string?> StatusAsync(string photoId) =>
        JsonDocument.Parse(await Client.GetStringAsync("/api/photos/" + photoId)).RootElement.GetProperty("status").GetString();

    private static BinaryData Job(string photoId) => new PhotoJob(photoId).ToMessage();

    [Fact]
    public async Task A_job_the_host_moved_to_the_poison_queue_fails_its_photo_with_a_reason()
    {
        var id = await ProcessingPhotoAsync();

        // What the host does after maxDequeueCount deliveries that never finished (the worker died on each).
        await fixture.Storage.Get<StorageClients>().Queue(StorageNames.PhotoJobsQueue + "-poison").SendMessageAsync(Job(id));

        await Eventually.PollAsync(() => StatusAsync(id), s => s != "processing", "the poison handler to fail the photo");
        var photo = JsonDocument.Parse(await Client.GetStringAsync("/api/photos/" + id)).RootElement;
        Assert.Equal("failed", photo.GetProperty("status").GetString());
        Assert.Contains("Upload the photo again", photo.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    private (QueueListener Listener, QueueClient Queue, QueueClient Poison) ProbeListener(string function, int maxDequeueCount, TimeSpan? maxPollingInterval = null)
    {
        var services = fixture.Host.App.Services;
        var host = services.GetRequiredService<HostJson>() with { MaxDequeueCount = maxDequeueCount, VisibilityTimeout = TimeSpan.Zero };
        host = host with { MaxPollingInterval = maxPollingInterval ?? host.MaxPollingInterval };
        var name = "probe-" + Guid.NewGuid().ToString("N")[..8];
        var listener = QueueListener.Create(fixture.Host.Worker.Functions.Single(f => f.Name == function), fixture.Host.Worker, host,
            services.GetRequiredService<SharedQueueWatcher>(), fixture.Host.App.Configuration, services.GetRequiredService<Microsoft.Extensions.Logging.ILoggerFactory>(), name);
        var queues = fixture.Storage.Get<QueueServiceClient>();
        return (listener, queues.GetQueueClient(name), queues.GetQueueClient(name + "-poison"));
    }

    [Fact]
    public async Task A_message_delivered_more_than_max_dequeue_count_times_goes_to_poison_without_the_function_being_called()
    {
        var id = await ProcessingPhotoAsync();
        var (listener, queue, poison) = ProbeListener("PhotoResize", maxDequeueCount: 2);
        await queue.CreateAsync();
        await queue.SendMessageAsync(Job(id));
        // Three deliveries that never finished: a worker that crashed on each, and the message visible again each time.
        for (var i = 0; i < 3; i++)
        {
            var delivery = Assert.Single((await queue.ReceiveMessagesAsync(1, TimeSpan.FromMinutes(1))).Value);
            await queue.UpdateMessageAsync(delivery.MessageId, delivery.PopReceipt, visibilityTimeout: TimeSpan.Zero);
        }
        var fourth = (await queue.ReceiveMessagesAsync(1, TimeSpan.FromMinutes(1))).Value.Single();
        Assert.Equal(4, fourth.DequeueCount);

        await listener.ProcessAsync(fourth, CancellationToken.None);

        Assert.Equal(id, PhotoJob.FromMessage(Assert.Single((await poison.PeekMessagesAsync(10)).Value).Body).PhotoId);
        Assert.Empty((await queue.PeekMessagesAsync(10)).Value);
        Assert.Equal("processing", await StatusAsync(id)); // PhotoResize never ran
    }

    [Fact]
    public async Task A_failing_message_is_retried_then_moved_to_poison_on_its_last_attempt()
    {
        var (listener, queue, poison) = ProbeListener("HomepageRebuildRequested", maxDequeueCount: 2);
        await queue.CreateAsync();
        await queue.SendMessageAsync(new BinaryData("this is not json"));

        var first = (await queue.ReceiveMessagesAsync(1, TimeSpan.FromMinutes(1))).Value.Single();
        await listener.ProcessAsync(first, CancellationToken.None);
        Assert.False(await poison.ExistsAsync());

        var second = (await queue.ReceiveMessagesAsync(1, TimeSpan.FromMinutes(1))).Value.Single();
        Assert.Equal(2, second.DequeueCount);
        await listener.ProcessAsync(second, CancellationToken.None);

        Assert.Equal("this is not json", Assert.Single((await poison.PeekMessagesAsync(10)).Value).Body.ToString());
        Assert.Empty((await queue.PeekMessagesAsync(10)).Value);
    }

    [Fact]
    public async Task A_queue_output_binding_writes_its_message_with_the_hosts_encoding_and_wakes_the_queues_listeners()
    {
        var services = fixture.Host.App.Services;
        var name = "probe-" + Guid.NewGuid().ToString("N")[..8];
        var function = new FunctionMetadata("Probe", "Probe.dll", "Probe.Run",
        [
            new BindingMetadata("Job", "queue", "Out") { Extra = Binding(new { queueName = name, connection = StorageOptions.SectionName }) },
            new BindingMetadata("Skipped", "queue", "Out") { Extra = Binding(new { queueName = name + "-skipped", connection = StorageOptions.SectionName }) },
            new BindingMetadata("Response", "http", "Out"),
        ]);
        var watcher = services.GetRequiredService<SharedQueueWatcher>();
        var notified = 0;
        watcher.Register(name, () => Interlocked.Increment(ref notified));
        var response = new Newsroom.LocalHost.Worker.Rpc.InvocationResponse
        {
            OutputData =
            {
                new Newsroom.LocalHost.Worker.Rpc.ParameterBinding { Name = "Job", Data = new() { String = "{\"photoId\":\"pé\"}" } },
                new Newsroom.LocalHost.Worker.Rpc.ParameterBinding { Name = "Skipped", Data = new() }, // the function left it null
            },
        };

        await new QueueOutputs(fixture.Host.App.Configuration, services.GetRequiredService<HostJson>(), watcher).WriteAsync(function, response, CancellationToken.None);

        var queues = new QueueServiceClient(fixture.Host.StorageConnectionString, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.None });
        var raw = Assert.Single((await queues.GetQueueClient(name).PeekMessagesAsync(10)).Value); // the queue was created for it
        Assert.Equal("{\"photoId\":\"pé\"}", Encoding.UTF8.GetString(Convert.FromBase64String(raw.Body.ToString()))); // host.json's base64
        Assert.Equal(1, notified);
        Assert.False(await queues.GetQueueClient(name + "-skipped").ExistsAsync());
    }

    private static Dictionary<string, JsonElement> Binding(object values) =>
        JsonSerializer.SerializeToElement(values).EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone());

    [Fact]
    public async Task A_listener_in_a_long_idle_wait_polls_at_once_when_this_host_writes_to_its_queue()
    {
        var id = await ProcessingPhotoAsync();
        var (listener, queue, _) = ProbeListener("PhotoResize", maxDequeueCount: 5, maxPollingInterval: TimeSpan.FromHours(1));
        listener.MinPollingInterval = TimeSpan.FromHours(1); // its first empty poll waits 48 to 72 minutes
        await queue.CreateAsync();
        using var stop = new CancellationTokenSource();
        var running = listener.RunAsync(stop.Token);
        try
        {
            await Eventually.PollAsync(() => Task.FromResult(listener.IdleWaits), n => n >= 1, "the listener's first idle wait");
            await queue.SendMessageAsync(Job(id));

            fixture.Host.App.Services.GetRequiredService<SharedQueueWatcher>().Notify(queue.Name);

            // Far sooner than the wait it was in: the notification ended it.
            await Eventually.PollAsync(() => StatusAsync(id), s => s == "ready", "the notified listener to run the job");
        }
        finally
        {
            await stop.CancelAsync();
            await running;
        }
    }

    [Fact]
    public async Task When_the_functions_app_process_dies_the_host_starts_it_again_and_serves_on()
    {
        var before = fixture.Host.Worker.ProcessId;
        Assert.NotEqual(0, before);
        using (var process = Process.GetProcessById(before))
        {
            process.Kill();
            await process.WaitForExitAsync();
        }

        await Eventually.PollAsync(() => Task.FromResult(fixture.Host.Worker.ProcessId), id => id != 0 && id != before, "a new worker process");
        using var response = await Client.GetAsync("/api/categories");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
