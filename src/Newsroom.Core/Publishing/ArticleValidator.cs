using Newsroom.Articles;
using Newsroom.Photos;
using Newsroom.Taxonomy;
using Newsroom.Time;

namespace Newsroom.Publishing;

/// <summary>
/// Checks an editor's article against the rules, collecting every problem per field (camelCase paths such
/// as "blocks[3].photoId") so one reply says everything that needs fixing. Text is plain text: it is
/// stored as written and the JSON encoder escapes markup characters on the way out.
/// </summary>
/// <summary>The category and events an input names, as keys.</summary>
public sealed record ArticleRefs(string CategoryKey, IReadOnlyList<string> EventKeys)
{
    public IReadOnlyList<string> ColumnKeys { get; init; } = [];

    /// <summary>The legal record checked and normalized (the type's canonical name), when the input has one.</summary>
    public LegalDocument? Legal { get; init; }
}

public sealed class ArticleValidator(TaxonomyStore taxonomy, PhotoStore photos, TimeProvider time)
{
    public const int MaxTitle = 250;
    public const int MaxSummary = 600;
    public const int MaxPhotos = 150;

    public const int MaxBlocks = 500;
    public const int MaxBlockText = 20_000;
    public const int MaxOrganisation = 200;

    /// <summary>
    /// Validates the input and resolves its category and events (by current slug, old slug or key) to keys.
    /// A retired category or event is refused unless the article already has it (<paramref name="current"/>).
    /// </summary>
    public async Task<ArticleRefs> ValidateAsync(ArticleInput input, CancellationToken cancellationToken, Article? current = null)
    {
        var errors = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        void Add(string field, string message)
        {
            if (!errors.TryGetValue(field, out var list))
            {
                errors[field] = list = [];
            }
            list.Add(message);
        }

        Text(input.Title, "title", MaxTitle, required: true, Add);
        Text(input.Summary, "summary", MaxSummary, required: false, Add);

        var names = await taxonomy.GetAsync(cancellationToken);
        string? categoryKey = null;
        if (string.IsNullOrWhiteSpace(input.Category))
        {
            Add("category", "A category is required (a category slug, e.g. \"thoi-su\"; GET /api/categories lists them).");
        }
        else if (names.FindCategory(input.Category) is not { } found)
        {
            Add("category", $"There is no category '{input.Category}'; GET /api/categories lists them (an administrator creates them with POST /api/categories).");
        }
        else if (names.Categories[found.Key].Retired && current?.Category != found.Key)
        {
            Add("category", $"The category '{input.Category}' is retired; choose one of GET /api/categories.");
        }
        else
        {
            categoryKey = found.Key;
        }
        var eventKeys = new List<string>();
        foreach (var (slug, i) in (input.Events ?? []).Select((e, i) => (e, i)))
        {
            if (names.FindEvent(slug) is not { } target)
            {
                Add($"events[{i}]", $"There is no event '{slug}'; GET /api/events lists them (an administrator creates them with POST /api/events).");
            }
            else if (names.Events[target.Key].Retired && current?.Events.Contains(target.Key) != true)
            {
                Add($"events[{i}]", $"The event '{slug}' is retired.");
            }
            else
            {
                eventKeys.Add(target.Key);
            }
        }

        var columnKeys = new List<string>();
        foreach (var (slug, i) in (input.Columns ?? []).Select((c, i) => (c, i)))
        {
            if (names.FindColumn(slug) is not { } target)
            {
                Add($"columns[{i}]", $"There is no column '{slug}'; GET /api/columns lists them (an administrator creates them with POST /api/columns).");
            }
            else if (!names.Columns[target.Key].Active && current?.Columns.Contains(target.Key) != true)
            {
                Add($"columns[{i}]", $"The column '{slug}' is no longer active.");
            }
            else
            {
                columnKeys.Add(target.Key);
            }
        }

        foreach (var (author, i) in (input.Authors ?? []).Select((a, i) => (a, i)))
        {
            Text(author?.Name, $"authors[{i}].name", 120, required: true, Add);
            Text(author?.Position, $"authors[{i}].position", 200, required: false, Add);
        }
        foreach (var (tag, i) in (input.Tags ?? []).Select((t, i) => (t, i)))
        {
            Text(tag, $"tags[{i}]", 60, required: true, Add);
        }

        Expiry(input, current, time.GetUtcNow(), Add);
        var legal = Legal.LegalDocuments.Check(input.Legal, Add);

        var photoIds = new List<(string Field, string Id)>();
        if (input.LeadPhoto is { } lead)
        {
            Photo(lead.PhotoId, lead.Caption, lead.Credit, lead.Alt, "leadPhoto", Add, photoIds);
        }
        var blocks = input.Blocks ?? [];
        if (blocks.Count > MaxBlocks)
        {
            Add("blocks", $"At most {MaxBlocks} blocks; this article has {blocks.Count}.");
        }
        for (var i = 0; i < blocks.Count; i++)
        {
            var field = $"blocks[{i}]";
            switch (blocks[i])
            {
                case ParagraphBlock p: Text(p.Text, field + ".text", MaxBlockText, required: true, Add); break;
                case HeadingBlock h: Text(h.Text, field + ".text", MaxTitle, required: true, Add); break;
                case QuoteBlock q:
                    Text(q.Text, field + ".text", MaxBlockText, required: true, Add);
                    Text(q.Source, field + ".source", 200, required: false, Add);
                    break;
                case ImageBlock img: Photo(img.PhotoId, img.Caption, img.Credit, img.Alt, field, Add, photoIds); break;
                case VideoBlock v:
                    if (!Uri.TryCreate(v.Url, UriKind.Absolute, out var url) || url.Scheme != Uri.UriSchemeHttps)
                    {
                        Add(field + ".url", "A video needs an absolute https:// player URL.");
                    }
                    Text(v.Title, field + ".title", MaxTitle, required: false, Add);
                    Text(v.Provider, field + ".provider", 60, required: false, Add);
                    break;
                case null: Add(field, "A block is null."); break;
            }
        }

        var distinctPhotos = photoIds.Select(p => p.Id).Where(id => id.Length > 0).Distinct(StringComparer.Ordinal).Count();
        if (distinctPhotos > MaxPhotos)
        {
            // Every photo an article shows is recorded beside it (its index record has room for this many).
            Add("blocks", $"At most {MaxPhotos} different photos in one article; this one has {distinctPhotos}. Split a photo story into parts.");
        }
        var checks = await Task.WhenAll(photoIds.Where(p => p.Id.Length > 0).Select(async p => (p.Field, p.Id, Exists: await photos.ExistsAsync(p.Id, cancellationToken))));
        foreach (var missing in checks.Where(c => !c.Exists))
        {
            Add(missing.Field + ".photoId", $"There is no photo '{missing.Id}'; upload it with POST /api/photos first.");
        }

        if (errors.Count > 0)
        {
            throw new ValidationException($"The article has {errors.Values.Sum(v => v.Count)} problem(s); see errors for each field.")
            {
                Errors = errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal),
            };
        }
        return new ArticleRefs(categoryKey!, [.. eventKeys.Distinct(StringComparer.Ordinal)])
        {
            ColumnKeys = [.. columnKeys.Distinct(StringComparer.Ordinal)],
            Legal = legal,
        };
    }

    /// <summary>
    /// Refuses (422, naming expireAt) to publish or schedule an article that would already have expired when it
    /// goes live at <paramref name="goesLive"/>: an expired notice is published again only with a later expiry.
    /// </summary>
    public static void RequireLiveBeforeExpiry(Article article, DateTimeOffset goesLive)
    {
        if (article.ExpireAt is { } expireAt && expireAt <= goesLive)
        {
            var at = expireAt.Display();
            throw new ValidationException($"The article expires at {at}, before it would go live; set a later expireAt (or none) with PUT, then publish it.")
            {
                Errors = new Dictionary<string, string[]> { ["expireAt"] = [$"{at} is not after the time it would go live."] },
            };
        }
    }

    /// <summary>
    /// Refuses (422) to put an article in front of readers while a photo it shows no longer exists (deleted
    /// from the library after it was saved), naming the photos to replace.
    /// </summary>
    public async Task RequirePhotosAsync(Article article, CancellationToken cancellationToken)
    {
        var ids = ArticleIndexer.PhotoIds(article).ToList();
        var exists = await Task.WhenAll(ids.Select(id => photos.ExistsAsync(id, cancellationToken)));
        var missing = ids.Where((_, i) => !exists[i]).ToList();
        if (missing.Count > 0)
        {
            throw new ValidationException($"The article shows {missing.Count} photo(s) that no longer exist ({string.Join(", ", missing)}); replace them before it goes out.")
            {
                Errors = new Dictionary<string, string[]> { ["photos"] = [.. missing.Select(id => $"There is no photo '{id}'.")] },
            };
        }
    }

    /// <summary>
    /// A job notice names who is hiring and its deadline; the article expires at <see cref="ArticleInput.ExpireAt"/>, or
    /// at the deadline when none is given. A new expiry must be to come, and after a scheduled article goes live;
    /// one the article already has is accepted as it is (an expired notice can still be corrected).
    /// </summary>
    private static void Expiry(ArticleInput input, Article? current, DateTimeOffset now, Action<string, string> add)
    {
        if (input.Job is { } job)
        {
            Text(job.Organisation, "job.organisation", MaxOrganisation, required: true, add);
            if (job.Deadline is null)
            {
                add("job.deadline", "Required: the time applications close, e.g. \"2026-12-31T17:00:00+07:00\"; the notice expires then unless expireAt says otherwise.");
            }
        }
        if ((input.ExpireAt ?? input.Job?.Deadline) is not { } expiry || expiry == current?.ExpireAt)
        {
            return;
        }
        var field = input.ExpireAt is null ? "job.deadline" : "expireAt";
        var at = expiry.Display();
        if (expiry <= now)
        {
            add(field, $"{at} has passed: an article expires at a time still to come. To take it down now, unpublish it.");
        }
        else if (current is { Status: ArticleStatus.Scheduled, PublishedAt: { } goesLive } && expiry <= goesLive)
        {
            add(field, $"{at} is before the article goes live ({goesLive.Display()}); set a later expiry or reschedule it.");
        }
    }

    private static void Photo(string? id, string? caption, string? credit, string? alt, string field, Action<string, string> add, List<(string, string)> ids)
    {
        if (string.IsNullOrWhiteSpace(id))
        {
            add(field + ".photoId", "A photo id is required.");
        }
        else
        {
            ids.Add((field, id));
        }
        Text(caption, field + ".caption", 1000, required: false, add);
        Text(credit, field + ".credit", 200, required: false, add);
        Text(alt, field + ".alt", 500, required: false, add);
    }

    private static void Text(string? value, string field, int max, bool required, Action<string, string> add)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            if (required)
            {
                add(field, "Required; it cannot be empty.");
            }
            return;
        }
        if (value.Length > max)
        {
            add(field, $"At most {max} characters; this has {value.Length}.");
        }
        if (value.Any(c => char.IsControl(c) && c is not '\n' and not '\t'))
        {
            add(field, "Contains control characters; remove them.");
        }
    }
}
