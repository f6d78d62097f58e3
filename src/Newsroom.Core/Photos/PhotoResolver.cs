using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Newsroom.Articles;
using Newsroom.Listings;
using Newsroom.Reading;

namespace Newsroom.Photos;

/// <summary>
/// Fills photo references with what a front end needs to write srcset without another call: size,
/// placeholder, dominant colour, renditions, and the photo's own caption, credit and alt where the
/// article gives none. Ready photo records never change, so they are kept in memory.
/// </summary>
public sealed class PhotoResolver(PhotoStore photos, IMemoryCache cache, IOptions<ReaderOptions> options)
{
    private static readonly TimeSpan ReadyLifetime = TimeSpan.FromMinutes(30);

    public async Task<PhotoRef?> ResolveAsync(PhotoRef? reference, CancellationToken cancellationToken)
    {
        if (reference is null || await GetAsync(reference.PhotoId, cancellationToken) is not { } photo)
        {
            return reference;
        }
        return reference with
        {
            Caption = reference.Caption ?? photo.Caption,
            Credit = reference.Credit ?? photo.Credit,
            Alt = reference.Alt ?? photo.Alt,
            Width = photo.Width,
            Height = photo.Height,
            Placeholder = photo.Placeholder,
            DominantColor = photo.DominantColor,
            Renditions = photo.Status == PhotoStatus.Ready ? photo.Renditions : null,
        };
    }

    public async Task<IReadOnlyList<ArticleBlock>> ResolveAsync(IReadOnlyList<ArticleBlock> blocks, CancellationToken cancellationToken) =>
        await Task.WhenAll(blocks.Select(async b => b is ImageBlock image && await GetAsync(image.PhotoId, cancellationToken) is { } photo
            ? image with
            {
                Caption = image.Caption ?? photo.Caption,
                Credit = image.Credit ?? photo.Credit,
                Alt = image.Alt ?? photo.Alt,
                Width = photo.Width,
                Height = photo.Height,
                Placeholder = photo.Placeholder,
                DominantColor = photo.DominantColor,
                Renditions = photo.Status == PhotoStatus.Ready ? photo.Renditions : null,
            }
            : b));

    public async Task<IReadOnlyList<Teaser>> ResolveAsync(IEnumerable<Teaser> teasers, CancellationToken cancellationToken) =>
        await Task.WhenAll(teasers.Select(async t => t with { LeadPhoto = await ResolveAsync(t.LeadPhoto, cancellationToken) }));

    /// <summary>Drops what this instance holds of a photo (it was deleted).</summary>
    public void Forget(string id) => cache.Remove(("photo", id));

    private async Task<PhotoRecord?> GetAsync(string id, CancellationToken cancellationToken)
    {
        var key = ("photo", id);
        if (cache.TryGetValue(key, out PhotoRecord? cached))
        {
            return cached;
        }
        var photo = (await photos.GetAsync(id, cancellationToken))?.Photo;
        if (photo?.Status == PhotoStatus.Ready)
        {
            cache.Set(key, photo, ReadyLifetime);
        }
        else
        {
            cache.SetFor(key, photo, options.Value.CacheSeconds);
        }
        return photo;
    }
}
