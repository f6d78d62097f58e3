using Newsroom.Articles;

namespace Newsroom.Homepage;

/// <summary>Editors pin and order top stories and featured videos; a change asks for a rebuild.</summary>
public sealed class HomepageLayoutService(
    HomepageStore store,
    ArticleStore articles,
    HomepageRebuildQueue rebuilds,
    Microsoft.Extensions.Options.IOptions<HomepageOptions> options,
    Microsoft.Extensions.Options.IOptions<Newsroom.Storage.StorageOptions> storage)
{
    private TimeSpan Deadline => TimeSpan.FromSeconds(storage.Value.WriteDeadlineSeconds);

    public Task<(HomepageLayout Layout, string ETag)> GetAsync(Identity.DeskUser user, CancellationToken cancellationToken)
    {
        user.Require(Identity.DeskRole.Reporter, "see the homepage layout");
        return Newsroom.Storage.StorageDeadline.RunAsync(Deadline, store.GetLayoutAsync, cancellationToken);
    }

    public Task<(HomepageLayout Layout, string ETag)> SaveAsync(Identity.DeskUser user, HomepageLayout? layout, string? ifMatch, CancellationToken cancellationToken)
    {
        user.Require(Identity.DeskRole.Publisher, "pin the homepage");
        return Newsroom.Storage.StorageDeadline.RunAsync(Deadline, token => SaveWithinDeadlineAsync(layout, ifMatch, token), cancellationToken);
    }

    private async Task<(HomepageLayout Layout, string ETag)> SaveWithinDeadlineAsync(HomepageLayout? layout, string? ifMatch, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(ifMatch))
        {
            throw new PreconditionRequiredException("Changing the homepage layout needs an If-Match header with the ETag from GET /api/homepage/layout.");
        }
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var top = layout?.TopStories ?? [];
        var videos = layout?.FeaturedVideos ?? [];
        var max = options.Value.MaxPinned;
        if (top.Count > max)
        {
            errors["topStories"] = [$"At most {max} pinned top stories; got {top.Count}."];
        }
        if (videos.Count > max)
        {
            errors["featuredVideos"] = [$"At most {max} featured videos; got {videos.Count}."];
        }
        foreach (var (field, ids, needsVideo) in new[] { ("topStories", top, false), ("featuredVideos", videos, true) })
        {
            for (var i = 0; i < ids.Count && i < max; i++)
            {
                var stored = string.IsNullOrEmpty(ids[i]) || ids[i].Length > 64 ? null : await articles.GetAsync(ids[i], cancellationToken);
                if (stored is null)
                {
                    errors[$"{field}[{i}]"] = [$"There is no article with id '{ids[i]}'."];
                }
                else if (needsVideo && !stored.Article.Blocks.Any(b => b is VideoBlock))
                {
                    errors[$"{field}[{i}]"] = [$"Article '{ids[i]}' has no video block, so it cannot be a featured video."];
                }
            }
            if (ids.Distinct(StringComparer.Ordinal).Count() != ids.Count)
            {
                errors[field] = [.. errors.GetValueOrDefault(field, []), "An article is pinned twice."];
            }
        }
        if (errors.Count > 0)
        {
            throw new ValidationException("The homepage layout has problems; see errors for each field.") { Errors = errors };
        }
        var saved = new HomepageLayout(top, videos);
        var etag = await store.SaveLayoutAsync(saved, ifMatch, cancellationToken);
        await rebuilds.RequestAsync("layout", null, null, cancellationToken);
        return (saved, etag);
    }
}
