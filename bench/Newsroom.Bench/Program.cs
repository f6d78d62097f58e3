using System.Diagnostics;
using System.Text.Json;
using Azure.Data.Tables;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Newsroom;
using Newsroom.Articles;
using Newsroom.Homepage;
using Newsroom.Json;
using Newsroom.Listings;
using Newsroom.LocalHost.Azurite;
using Newsroom.Photos;
using Newsroom.Publishing;
using Newsroom.Storage;
using Newsroom.Taxonomy;

// Benchmarks that need Newsroom's own code (the same AddNewsroom composition every host uses):
//   photos <repeat> [--avif] <file>...   the rendition pipeline, images/s (peak RSS is measured by the caller)
//   photos-concurrent <jobs> <slots> <file>...   <jobs> resize jobs in flight at once, as the queue listener runs
//                               them (batchSize + newBatchThreshold), through <slots> resize slots (Photos:MaxConcurrentResizes)
//   rebuild <articles>          homepage rebuild time with that many published articles in Azurite
return args switch
{
    ["photos", var repeat, "--avif", .. var files] => Photos(int.Parse(repeat, System.Globalization.CultureInfo.InvariantCulture), files, avif: true),
    ["photos", var repeat, .. var files] => Photos(int.Parse(repeat, System.Globalization.CultureInfo.InvariantCulture), files, avif: false),
    ["photos-concurrent", var jobs, var slots, .. var files] => await PhotosConcurrentAsync(int.Parse(jobs, System.Globalization.CultureInfo.InvariantCulture), int.Parse(slots, System.Globalization.CultureInfo.InvariantCulture), files),
    ["rebuild", var count] => await RebuildAsync(int.Parse(count, System.Globalization.CultureInfo.InvariantCulture)),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: Newsroom.Bench photos <repeat> <file>... | rebuild <articles>");
    return 2;
}

static int Photos(int repeat, string[] files, bool avif)
{
    var pipeline = new RenditionPipeline(Options.Create(new PhotoOptions { Avif = avif }));
    pipeline.Run(files[0]); // warm-up: load libvips and JIT
    var stopwatch = Stopwatch.StartNew();
    var images = 0;
    long bytes = 0;
    for (var r = 0; r < repeat; r++)
    {
        foreach (var file in files)
        {
            bytes += pipeline.Run(file).Renditions.Sum(x => (long)x.Bytes.Length);
            images++;
        }
    }
    stopwatch.Stop();
    Console.WriteLine(JsonSerializer.Serialize(new { engine = avif ? "newsroom (NetVips) + AVIF" : "newsroom (NetVips)", images, seconds = stopwatch.Elapsed.TotalSeconds, imagesPerSecond = images / stopwatch.Elapsed.TotalSeconds, outputBytes = bytes }));
    return 0;
}

static async Task<int> PhotosConcurrentAsync(int jobs, int slots, string[] files)
{
    using var pipeline = new RenditionPipeline(Options.Create(new PhotoOptions { MaxConcurrentResizes = slots }));
    pipeline.Run(files[0]); // warm-up: load libvips and JIT
    var stopwatch = Stopwatch.StartNew();
    long bytes = 0;
    await Parallel.ForEachAsync(files, new ParallelOptions { MaxDegreeOfParallelism = jobs }, async (file, ct) =>
        Interlocked.Add(ref bytes, (await pipeline.RunAsync(file, ct)).Renditions.Sum(x => (long)x.Bytes.Length)));
    stopwatch.Stop();
    Console.WriteLine(JsonSerializer.Serialize(new { engine = $"newsroom, {jobs} jobs in flight, {slots} resize slots", images = files.Length, seconds = stopwatch.Elapsed.TotalSeconds, imagesPerSecond = files.Length / stopwatch.Elapsed.TotalSeconds, outputBytes = bytes }));
    return 0;
}

static async Task<int> RebuildAsync(int count)
{
    await using var azurite = await AzuriteServer.StartAsync(location: null);
    var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
    {
        ["NewsroomStorage:ConnectionString"] = azurite.ConnectionString,
    }).Build();
    var services = new ServiceCollection()
        .AddSingleton<IConfiguration>(configuration)
        .AddLogging(b => b.SetMinimumLevel(LogLevel.Warning))
        .AddNewsroom(configuration)
        .BuildServiceProvider();
    var storage = services.GetRequiredService<StorageClients>();
    await storage.CreateAllAsync(CancellationToken.None);
    var taxonomy = services.GetRequiredService<TaxonomyStore>();
    string[] categories = ["thoi-su", "kinh-te", "xa-hoi", "van-hoa", "the-thao", "phap-luat"];
    foreach (var (slug, i) in categories.Select((c, i) => (c, i)))
    {
        await taxonomy.UpsertAsync(new Category(slug, slug, null, i), CancellationToken.None);
    }
    await taxonomy.UpsertAsync(new NewsEvent("chuyen-doi-so", "Chuyển đổi số"), CancellationToken.None);
    await taxonomy.UpsertAsync(new NewsEvent("mua-lu", "Mùa lũ"), CancellationToken.None);
    var names = await taxonomy.GetAsync(CancellationToken.None);

    // The archive: listing rows exactly as the indexer writes them, loaded in batch transactions.
    var seed = Stopwatch.StartNew();
    var now = DateTimeOffset.UtcNow;
    var archive = storage.Table(StorageNames.ListingsTableName);
    var heads = storage.Table(StorageNames.ListingHeadsTableName);
    var rows = Enumerable.Range(0, count).SelectMany(i =>
    {
        var article = new Article
        {
            Id = $"b{i:D7}", Slug = $"bai-{i}", Title = $"Bài số {i}", Summary = "Tóm tắt", Category = categories[i % categories.Length],
            Events = i % 10 == 0 ? ["chuyen-doi-so"] : i % 15 == 0 ? ["mua-lu"] : [],
            Status = ArticleStatus.Published, PublishedAt = now.AddMinutes(-i - 1),
        };
        var teaser = JsonSerializer.Serialize(Teaser.From(article), NewsroomJson.Stored);
        return ArticleIndexer.DesiredEntries(article, names).Select(e => new TableEntity(e.ListingKey, e.RowKey) { ["Teaser"] = teaser });
    });
    var batches = rows.GroupBy(r => r.PartitionKey).SelectMany(g => g.Chunk(100));
    await Parallel.ForEachAsync(batches, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (batch, ct) =>
    {
        // As the indexer writes them: archive and heads. The first rebuild trims the heads, as the timer does every minute.
        await archive.SubmitTransactionAsync(batch.Select(e => new TableTransactionAction(TableTransactionActionType.UpsertReplace, e)), ct);
        await heads.SubmitTransactionAsync(batch.Select(e => new TableTransactionAction(TableTransactionActionType.UpsertReplace, e)), ct);
    });
    seed.Stop();

    // How the emulator's cost scales: one head read of the biggest partition, and of an empty one.
    var store = services.GetRequiredService<ListingStore>();
    var probe = Stopwatch.StartNew();
    for (var i = 0; i < 10; i++) { await store.ReadAsync(ListingKey.All, now, null, 20, CancellationToken.None); }
    var bigHeadMs = probe.Elapsed.TotalMilliseconds / 10;
    probe.Restart();
    for (var i = 0; i < 10; i++) { await store.ReadAsync("nothing-here", now, null, 20, CancellationToken.None); }
    var emptyHeadMs = probe.Elapsed.TotalMilliseconds / 10;
    Console.Error.WriteLine($"head of 'all': {bigHeadMs:0.0} ms, head of an empty partition: {emptyHeadMs:0.0} ms");

    var publisher = services.GetRequiredService<HomepagePublisher>();
    await publisher.RebuildAsync(CancellationToken.None); // warm-up; trims the heads as every rebuild does
    var times = new List<double>();
    var writer = services.GetRequiredService<ArticleWriter>();
    for (var run = 0; run < 9; run++)
    {
        // A new story each time, so every rebuild publishes a changed page.
        await writer.CreateAsync(new Article { Id = $"new{run}", Slug = "", Title = $"Tin mới {run}", Category = "thoi-su", Status = ArticleStatus.Published, PublishedAt = DateTimeOffset.UtcNow }, CancellationToken.None);
        var stopwatch = Stopwatch.StartNew();
        var outcome = await publisher.RebuildAsync(CancellationToken.None);
        stopwatch.Stop();
        if (outcome != RebuildOutcome.Published)
        {
            throw new InvalidOperationException($"rebuild {run} was {outcome}");
        }
        times.Add(stopwatch.Elapsed.TotalMilliseconds);
    }
    times.Sort();
    Console.WriteLine(JsonSerializer.Serialize(new { articles = count, seedSeconds = seed.Elapsed.TotalSeconds, rebuildMedianMs = times[times.Count / 2], rebuildMinMs = times[0], rebuildMaxMs = times[^1] }));
    return 0;
}
