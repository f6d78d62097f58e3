using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Newsroom.Storage;

namespace Newsroom.Reading;

/// <summary>
/// What the read side renders, kept in memory per instance, with the semantics of Cache-Control's
/// max-age and stale-if-error:
/// <list type="bullet">
/// <item>fresh for <see cref="ReaderOptions.CacheSeconds"/>: served as is;</item>
/// <item>then revalidated, one load shared by every request that wants it (no stampede); a request that has a
/// stale copy waits for that load at most <see cref="ReaderOptions.StaleWaitMilliseconds"/> after it began, and
/// when storage fails or stalls it gets the stale copy while the load goes on in the background;</item>
/// <item>a request with nothing to fall back on waits at most <see cref="StorageOptions.ReadDeadlineSeconds"/>
/// and then answers 503 (<see cref="ServiceUnavailableException"/>).</item>
/// </list>
/// Stale copies are kept up to <see cref="ReaderOptions.StaleIfErrorSeconds"/> within a memory budget
/// (<see cref="ReaderOptions.CacheMegabytes"/>, least recently used first out). An editor's write drops the
/// entries it affects at once (<see cref="Invalidate"/>), so the editor who acts sees the result.
/// </summary>
public sealed class ResponseCache : IDisposable
{
    private readonly MemoryCache _entries;
    // Which entry each key holds under a tag, so an entry's eviction, which MemoryCache reports later on another
    // thread, can only ever remove its own registration, never that of the entry that replaced it. Guarded by
    // _tagsLock; taken when an entry is stored or evicted and on invalidation, never on a hit.
    private readonly Dictionary<string, Dictionary<object, Entry>> _entriesByTag = new(StringComparer.Ordinal);
    private readonly Lock _tagsLock = new();
    private readonly ReaderOptions _options;
    private readonly TimeSpan _deadline;
    private readonly TimeProvider _time;
    private readonly ILogger<ResponseCache> _log;

    public ResponseCache(IOptions<ReaderOptions> options, IOptions<StorageOptions> storage, TimeProvider time, ILogger<ResponseCache> log)
    {
        _options = options.Value;
        _deadline = TimeSpan.FromSeconds(storage.Value.ReadDeadlineSeconds);
        _time = time;
        _log = log;
        _entries = new MemoryCache(new MemoryCacheOptions { SizeLimit = _options.CacheMegabytes * 1024L * 1024L, CompactionPercentage = 0.25 });
    }

    private abstract class Entry
    {
        public readonly object Lock = new();
        public bool Invalidated;
    }

    private sealed class Entry<T> : Entry
    {
        public T? Value;
        public bool HasValue;
        public DateTimeOffset FreshUntil;
        public Task<T>? Load;
        public long LoadStarted;
    }

    /// <summary>
    /// The value under <paramref name="key"/>, loaded by <paramref name="load"/> (given a token that ends at the
    /// read deadline) when there is none or it is no longer fresh. <paramref name="size"/> estimates a value's
    /// bytes; <paramref name="tags"/> name what the value depends on, for <see cref="Invalidate"/>.
    /// </summary>
    public Task<T> GetAsync<T>(object key, IReadOnlyCollection<string> tags, Func<T, long> size,
        Func<CancellationToken, Task<T>> load, CancellationToken cancellationToken) =>
        GetAsync(key, tags, size, load, TimeSpan.FromSeconds(_options.CacheSeconds), cancellationToken);

    /// <summary>
    /// As <see cref="GetAsync{T}(object, IReadOnlyCollection{string}, Func{T, long}, Func{CancellationToken, Task{T}}, CancellationToken)"/>,
    /// for what many responses are built from (the taxonomy, the listing heads article pages show): fresh for
    /// <see cref="ReaderOptions.SharedCacheSeconds"/>, so that a response not found in memory costs only its own reads.
    /// </summary>
    public Task<T> GetSharedAsync<T>(object key, IReadOnlyCollection<string> tags, Func<T, long> size,
        Func<CancellationToken, Task<T>> load, CancellationToken cancellationToken) =>
        GetAsync(key, tags, size, load, TimeSpan.FromSeconds(_options.SharedCacheSeconds), cancellationToken);

    private async Task<T> GetAsync<T>(object key, IReadOnlyCollection<string> tags, Func<T, long> size,
        Func<CancellationToken, Task<T>> load, TimeSpan freshFor, CancellationToken cancellationToken)
    {
        Entry<T> entry;
        Task<T> pending;
        long started;
        while (true)
        {
            entry = _entries.TryGetValue(key, out var found) && found is Entry<T> existing ? existing : Add<T>(key, tags);
            lock (entry.Lock)
            {
                if (entry.Invalidated)
                {
                    continue; // dropped between the lookup and the lock: take the new one
                }
                if (entry.HasValue && _time.GetUtcNow() < entry.FreshUntil)
                {
                    return entry.Value!;
                }
                entry.Load ??= Start(entry, key, tags, size, load, freshFor);
                pending = entry.Load;
                started = entry.LoadStarted;
            }
            break;
        }

        if (!entry.HasValue)
        {
            return await pending.WaitAsync(cancellationToken);
        }
        // A stale copy is in hand: wait for the revalidation only while it is young.
        var wait = TimeSpan.FromMilliseconds(_options.StaleWaitMilliseconds) - System.Diagnostics.Stopwatch.GetElapsedTime(started);
        if (wait > TimeSpan.Zero)
        {
            await Task.WhenAny(pending, Task.Delay(wait, cancellationToken));
            cancellationToken.ThrowIfCancellationRequested();
        }
        // Fresh if the revalidation made it in time; otherwise the stale copy (stale-if-error).
        return pending.IsCompletedSuccessfully ? pending.Result : entry.Value!;
    }

    /// <summary>Drops every entry tagged with any of <paramref name="tags"/>; loads in flight for them are not kept.</summary>
    public void Invalidate(IEnumerable<string> tags)
    {
        var dropped = new List<KeyValuePair<object, Entry>>();
        lock (_tagsLock)
        {
            foreach (var tag in tags)
            {
                if (_entriesByTag.Remove(tag, out var entries))
                {
                    dropped.AddRange(entries);
                }
            }
        }
        foreach (var (key, entry) in dropped)
        {
            lock (entry.Lock)
            {
                entry.Invalidated = true;
            }
            // An entry is in the cache before it is registered under its tags, so a registered one is removed here
            // (or was replaced or evicted already).
            if (_entries.TryGetValue(key, out var current) && ReferenceEquals(current, entry))
            {
                _entries.Remove(key);
            }
        }
    }

    public void Dispose() => _entries.Dispose();

    private Entry<T> Add<T>(object key, IReadOnlyCollection<string> tags)
    {
        var entry = new Entry<T>();
        lock (_entries)
        {
            if (_entries.TryGetValue(key, out var found) && found is Entry<T> existing)
            {
                return existing;
            }
            Store(key, entry, tags, size: 1024);
        }
        return entry;
    }

    private void Store(object key, Entry entry, IReadOnlyCollection<string> tags, long size)
    {
        var options = new MemoryCacheEntryOptions
        {
            Size = Math.Max(1, size),
            AbsoluteExpirationRelativeToNow = TimeSpan.FromSeconds(Math.Max(1, Math.Max(Math.Max(_options.CacheSeconds, _options.SharedCacheSeconds), _options.StaleIfErrorSeconds))),
        };
        options.RegisterPostEvictionCallback(static (evictedKey, evicted, reason, state) =>
        {
            // Replaced: the same entry stored again (a load renewing it), still registered as it should be.
            if (reason != EvictionReason.Replaced && evicted is Entry entry)
            {
                var (cache, entryTags) = ((ResponseCache, IReadOnlyCollection<string>))state!;
                cache.Unregister(evictedKey, entry, entryTags);
            }
        }, (this, tags));
        _entries.Set(key, entry, options);
        lock (_tagsLock)
        {
            foreach (var tag in tags)
            {
                if (!_entriesByTag.TryGetValue(tag, out var entries))
                {
                    _entriesByTag[tag] = entries = [];
                }
                entries[key] = entry;
            }
        }
    }

    private void Unregister(object key, Entry entry, IReadOnlyCollection<string> tags)
    {
        lock (_tagsLock)
        {
            foreach (var tag in tags)
            {
                if (_entriesByTag.TryGetValue(tag, out var entries) && entries.TryGetValue(key, out var registered) && ReferenceEquals(registered, entry))
                {
                    entries.Remove(key);
                    if (entries.Count == 0)
                    {
                        _entriesByTag.Remove(tag);
                    }
                }
            }
        }
    }

    private Task<T> Start<T>(Entry<T> entry, object key, IReadOnlyCollection<string> tags, Func<T, long> size, Func<CancellationToken, Task<T>> load, TimeSpan freshFor)
    {
        entry.LoadStarted = System.Diagnostics.Stopwatch.GetTimestamp();
        return Task.Run(async () =>
        {
            // The load belongs to no single request: no request's cancellation ends it, only the deadline.
            using var deadline = new CancellationTokenSource(_deadline);
            try
            {
                var value = await load(deadline.Token);
                lock (entry.Lock)
                {
                    entry.Value = value;
                    entry.HasValue = true;
                    entry.FreshUntil = _time.GetUtcNow() + freshFor;
                    entry.Load = null;
                    if (!entry.Invalidated)
                    {
                        Store(key, entry, tags, size(value)); // renews its lifetime and records its real size
                    }
                }
                return value;
            }
            catch (Exception e)
            {
                lock (entry.Lock)
                {
                    entry.Load = null;
                }
                ReadingLog.LoadFailed(_log, e, key.ToString() ?? "", entry.HasValue);
                if (e is not NewsroomException && (deadline.IsCancellationRequested || StorageFailures.IsUnavailable(e)))
                {
                    throw new ServiceUnavailableException(deadline.IsCancellationRequested
                        ? $"Storage did not answer within {_deadline.TotalSeconds:0} s."
                        : "Storage cannot be reached right now.", e);
                }
                throw;
            }
        });
    }
}
