using Microsoft.Extensions.Options;
using Newsroom.Articles;
using Newsroom.Homepage;
using Newsroom.LocalHost.Hosting;
using Newsroom.Photos;
using Newsroom.Publishing;
using Newsroom.Taxonomy;

namespace Newsroom.LocalHost.Demo;

/// <summary>
/// Seeds the demo newspaper on start (LocalHost:Seed, default on; --no-seed turns it off). Idempotent:
/// sections and events are upserts, articles have fixed ids and are created only when missing. The newest
/// hand-written article is scheduled a day ahead and one more stays a draft, so the visibility rules show; of
/// two job notices one expires a few hours after seeding; four legal documents fill their column; two periodicals
/// get three print issues (small generated PDFs). The homepage gets a links box unless one was saved.
/// The photos go through the real upload path and the queue-triggered resize, so the demo has renditions.
/// </summary>
public sealed class DemoSeeder(
    TaxonomyStore taxonomy,
    ArticleStore articles,
    ArticleWriter writer,
    PhotoStore photos,
    PhotoService photoService,
    HomepageStore homepage,
    Newsroom.Print.PrintEditions print,
    Newsroom.Legal.LegalAttachments legalAttachments,
    Newsroom.Storage.StorageClients storage,
    IOptions<LocalHostOptions> options,
    TimeProvider time,
    ILogger<DemoSeeder> log) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.Seed)
        {
            return;
        }
        foreach (var category in DemoContent.Categories)
        {
            await taxonomy.UpsertAsync(category, cancellationToken);
        }
        foreach (var newsEvent in DemoContent.Events)
        {
            await taxonomy.UpsertAsync(newsEvent, cancellationToken);
        }
        foreach (var column in DemoContent.Columns)
        {
            await taxonomy.UpsertAsync(column, cancellationToken);
        }

        for (var i = 0; i < DemoPhotos.Count; i++)
        {
            if (!await photos.ExistsAsync(DemoPhotos.Id(i), cancellationToken))
            {
                await using var upload = await DemoPhotos.DrawAsync(i, cancellationToken);
                await photoService.AcceptAsync(upload, cancellationToken, DemoPhotos.Id(i));
            }
        }

        var now = time.GetUtcNow();
        var count = options.Value.DemoArticles;
        var created = 0;
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (i, ct) =>
        {
            if (await articles.GetAsync(DemoContent.Id(i), ct) is not null)
            {
                return;
            }
            // Article 0 is scheduled for tomorrow, article 1 waits for review on the desk, the rest go back in time an hour apart.
            var publishedAt = i == 0 ? now.AddDays(1) : now.AddMinutes(-37 - 60 * (i - 1));
            var article = DemoContent.Article(i, publishedAt, now);
            if (i == 1)
            {
                article = article with { Status = ArticleStatus.Submitted, PublishAt = null, PublishedAt = null };
            }
            await writer.CreateAsync(article, ct, new ArticleChange(Newsroom.Identity.DeskActor.System, "seeded", "Demo paper"));
            Interlocked.Increment(ref created);
        });
        var extras = Enumerable.Range(0, DemoContent.JobNoticeCount).Select(i => DemoContent.JobNotice(i, now))
            .Concat(Enumerable.Range(0, DemoContent.LegalDocumentCount).Select(i => DemoContent.LegalDocument(i, now)));
        foreach (var extra in extras)
        {
            if (await articles.GetAsync(extra.Id, cancellationToken) is null)
            {
                await writer.CreateAsync(extra, cancellationToken, new ArticleChange(Newsroom.Identity.DeskActor.System, "seeded", "Demo paper"));
            }
        }
        await DemoPrint.SeedAsync(print, storage, now, cancellationToken);
        await DemoPrint.AttachLegalAsync(legalAttachments, articles, storage, cancellationToken);
        var (layout, etag) = await homepage.GetLayoutAsync(cancellationToken);
        if (etag == HomepageStore.InitialLayoutETag)
        {
            await homepage.SaveLayoutAsync(layout with { Links = DemoContent.Links }, etag, cancellationToken);
        }
        LocalHostLog.DemoSeeded(log, DemoContent.Categories.Length, DemoContent.Events.Length, created, count - created);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
