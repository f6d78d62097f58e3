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
}
