using Microsoft.Extensions.Caching.Memory;

namespace Newsroom.Reading;

internal static class MemoryCacheExtensions
{
    /// <summary>Caches for <paramref name="seconds"/>; zero turns caching off (tests, debugging).</summary>
    public static void SetFor<T>(this IMemoryCache cache, object key, T value, int seconds)
    {
        if (seconds > 0)
        {
            cache.Set(key, value, TimeSpan.FromSeconds(seconds));
        }
    }

    /// <summary>
    /// The cached value, or one load shared by every caller that misses at the same time: when a popular
    /// entry expires, storage sees one read, not one per waiting request. A failed load is not cached.
    /// </summary>
    public static async Task<T> GetOrLoadAsync<T>(this IMemoryCache cache, object key, int seconds, Func<Task<T>> load)
    {
        if (seconds <= 0)
        {
            return await load();
        }
        var entry = cache.GetOrCreate(key, e =>
        {
            e.AbsoluteExpirationRelativeToNow = TimeSpan.FromSeconds(seconds);
            return new Lazy<Task<T>>(load, LazyThreadSafetyMode.ExecutionAndPublication);
        })!;
        try
        {
            return await entry.Value;
        }
        catch
        {
            cache.Remove(key);
            throw;
        }
    }
}
