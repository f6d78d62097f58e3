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
//   search-index <dir> <articles>   a Lucene index of that many synthetic Vietnamese articles, built in <dir>
//   search-queries <count> <file>   request paths of a mix of searches as readers type them, one per line
//   search-engine <dir> <file>      those searches straight on the engine, one at a time: where a request's time goes
return args switch
{
    ["search-index", var dir, var count] => await SearchIndexAsync(dir, int.Parse(count, System.Globalization.CultureInfo.InvariantCulture)),
    ["search-engine", var dir, var file] => await SearchEngineAsync(dir, file),
    ["search-queries", var count, var file] => SearchQueries(int.Parse(count, System.Globalization.CultureInfo.InvariantCulture), file),
    ["photos", var repeat, "--avif", .. var files] => Photos(int.Parse(repeat, System.Globalization.CultureInfo.InvariantCulture), files, avif: true),
    ["photos", var repeat, .. var files] => Photos(int.Parse(repeat, System.Globalization.CultureInfo.InvariantCulture), files, avif: false),
    ["photos-concurrent", var jobs, var slots, .. var files] => await PhotosConcurrentAsync(int.Parse(jobs, System.Globalization.CultureInfo.InvariantCulture), int.Parse(slots, System.Globalization.CultureInfo.InvariantCulture), files),
    ["rebuild", var count] => await RebuildAsync(int.Parse(count, System.Globalization.CultureInfo.InvariantCulture)),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: Newsroom.Bench photos <repeat> <file>... | rebuild <articles> | search-index <dir> <articles> | search-queries <count> <file>");
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

// The archive as the engine holds it: each synthetic article with the teaser the indexer stores beside it.
static async Task<int> SearchIndexAsync(string dir, int count)
{
    if (Directory.Exists(dir))
    {
        Directory.Delete(dir, recursive: true);
    }
    var newest = DateTimeOffset.UtcNow.AddMinutes(-1);
    var stopwatch = Stopwatch.StartNew();
    Stopwatch compacting;
    using (var engine = new Newsroom.Search.LuceneSearchEngine(dir, Microsoft.Extensions.Logging.Abstractions.NullLogger<Newsroom.Search.LuceneSearchEngine>.Instance))
    {
        foreach (var batch in Newsroom.UnitTests.Search.SyntheticArticles.Generate(count, seed: 7, newest, inOrder: true).Chunk(1000))
        {
            await engine.UpsertAsync([.. batch.Select(d => d with
            {
                Teaser = JsonSerializer.Serialize(new Teaser(d.Id, d.Slug, d.Title, d.Summary, d.PublishedAt, d.Category, null), NewsroomJson.Stored),
            })], CancellationToken.None);
        }
        // As a rebuild ends: the import's segments merged into one (timed on its own below).
        compacting = Stopwatch.StartNew();
        await engine.CompactAsync(CancellationToken.None);
        compacting.Stop();
    }
    stopwatch.Stop();
    var bytes = Directory.EnumerateFiles(dir).Sum(f => new FileInfo(f).Length);
    var peak = File.ReadLines("/proc/self/status").First(l => l.StartsWith("VmHWM:", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
    Console.WriteLine(JsonSerializer.Serialize(new { articles = count, seconds = stopwatch.Elapsed.TotalSeconds, articlesPerSecond = count / stopwatch.Elapsed.TotalSeconds, compactSeconds = compacting.Elapsed.TotalSeconds, indexBytes = bytes, peakRssBytes = long.Parse(peak, System.Globalization.CultureInfo.InvariantCulture) * 1024 }));
    return 0;
}

// What readers type: one to three words from the same word distribution as the articles, half of them without
// diacritics (as typed on a phone), some in quotes, some abbreviations and document numbers; a tenth newest-first.
static int SearchQueries(int count, string file)
{
    var random = new Random(11);
    var lines = new List<string>(count);
    while (lines.Count < count)
    {
        var words = Newsroom.UnitTests.Search.SyntheticArticles.Sentence(random, 12, capitalize: false, terminate: false)
            .Split([' ', ','], StringSplitOptions.RemoveEmptyEntries);
        var length = random.Next(10) switch { < 3 => 1, < 8 => 2, _ => 3 };
        var start = random.Next(words.Length - length);
        var query = string.Join(' ', words.Skip(start).Take(length));
        query = random.Next(10) switch
        {
            < 5 => Newsroom.Text.VietnameseText.Fold(query),
            5 => $"\"{query}\"",
            _ => query,
        };
        if (query.Trim('"').Length < 2)
        {
            continue;
        }
        lines.Add("/api/search?q=" + Uri.EscapeDataString(query) + (random.Next(10) == 0 ? "&sort=newest" : ""));
    }
    File.WriteAllLines(file, lines);
    return 0;
}

static async Task<int> SearchEngineAsync(string dir, string file)
{
    var cacheMb = long.Parse(Environment.GetEnvironmentVariable("SEARCH_TERM_CACHE_MB") ?? "64", System.Globalization.CultureInfo.InvariantCulture);
    using var engine = new Newsroom.Search.LuceneSearchEngine(dir, Microsoft.Extensions.Logging.Abstractions.NullLogger<Newsroom.Search.LuceneSearchEngine>.Instance, cacheMb << 20);
    var queries = File.ReadLines(file).Select(line =>
    {
        var query = System.Web.HttpUtility.ParseQueryString(line[(line.IndexOf('?') + 1)..]);
        return new Newsroom.Search.SearchQuery(query["q"]!, null, null, null, null,
            query["sort"] == "newest" ? Newsroom.Search.SearchSort.Newest : Newsroom.Search.SearchSort.Relevance, 20, 0);
    }).ToList();
    if (Environment.GetEnvironmentVariable("SEARCH_COMPACT") == "1")
    {
        await engine.CompactAsync(CancellationToken.None); // measure the index as a rebuild leaves it
    }
    var now = DateTimeOffset.UtcNow;
    // One pass first, as an instance that has served a while: the JIT, the index's pages, the frequent terms' summaries.
    foreach (var q in queries)
    {
        await engine.SearchAsync(q, now, CancellationToken.None);
    }
    // SEARCH_PASSES=n: n more passes before the measured one, each pass's mean printed: whether a long-serving
    // instance's searches get slower with the number served (they should not).
    var passes = int.Parse(Environment.GetEnvironmentVariable("SEARCH_PASSES") ?? "0", System.Globalization.CultureInfo.InvariantCulture);
    for (var pass = 1; pass <= passes; pass++)
    {
        var passStarted = Stopwatch.GetTimestamp();
        var (g0, g1, g2) = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));
        var pause = GC.GetTotalPauseDuration();
        foreach (var q in queries)
        {
            await engine.SearchAsync(q, now, CancellationToken.None);
        }
        Console.Error.WriteLine(FormattableString.Invariant(
            $"pass {pass}: mean {Stopwatch.GetElapsedTime(passStarted).TotalMilliseconds / queries.Count:F3} ms, gc {GC.CollectionCount(0) - g0}/{GC.CollectionCount(1) - g1}/{GC.CollectionCount(2) - g2}, pause {(GC.GetTotalPauseDuration() - pause).TotalMilliseconds:F0} ms, heap {GC.GetTotalMemory(false) >> 20} MiB"));
    }
    var timings = new List<(double Ms, string Text, long Total)>();
    var allocated = GC.GetTotalAllocatedBytes(precise: true);
    var collections = GC.CollectionCount(0);
    foreach (var q in queries)
    {
        var started = Stopwatch.GetTimestamp();
        var results = await engine.SearchAsync(q, now, CancellationToken.None);
        timings.Add((Stopwatch.GetElapsedTime(started).TotalMilliseconds, q.Text, results.Total));
    }
    allocated = GC.GetTotalAllocatedBytes(precise: true) - allocated;
    collections = GC.CollectionCount(0) - collections;
    var sorted = timings.OrderBy(t => t.Ms).ToList();
    double At(double p) => sorted[(int)Math.Min(sorted.Count - 1, Math.Ceiling(p * sorted.Count) - 1)].Ms;
    Console.WriteLine(JsonSerializer.Serialize(new
    {
        queries = sorted.Count,
        meanMs = sorted.Average(t => t.Ms),
        p50Ms = At(0.50),
        p90Ms = At(0.90),
        p99Ms = At(0.99),
        meanMatches = sorted.Average(t => (double)t.Total),
        allocatedKiBPerQuery = allocated / 1024.0 / sorted.Count,
        gen0Collections = collections,
        slowest = sorted.TakeLast(5).Select(t => new { t.Text, t.Ms, t.Total }),
        termCache = new { engine.TermCache.Terms, MiB = engine.TermCache.Bytes / (double)(1 << 20) },
        index = new { engine.Shape.Segments, engine.Shape.Documents, engine.Shape.Deleted },
    }));
    return 0;
}
