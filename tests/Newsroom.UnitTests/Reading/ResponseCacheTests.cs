using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Newsroom.Reading;
using Newsroom.Storage;

namespace Newsroom.UnitTests.Reading;

/// <summary>An editor's write drops what it affects from the read cache: every time, not just the first.</summary>
public sealed class ResponseCacheTests : IDisposable
{
    private readonly ResponseCache _cache = new(
        Options.Create(new ReaderOptions { CacheSeconds = 3600, SharedCacheSeconds = 3600 }),
        Options.Create(new StorageOptions { ReadDeadlineSeconds = 60 }),
        TimeProvider.System,
        NullLogger<ResponseCache>.Instance);

    public void Dispose() => _cache.Dispose();

    /// <summary>The one cached value these tests read (a shared entry under one tag, as the taxonomy is).</summary>
    private Task<int> GetAsync(Func<CancellationToken, Task<int>> load) =>
        _cache.GetSharedAsync("taxonomy", ["taxonomy"], _ => 64, load, CancellationToken.None);

    [Fact]
    public async Task Every_write_in_a_row_drops_the_entry_that_replaced_the_one_the_write_before_dropped()
    {
        // What storage holds; a load reads it. Each round is a write (a new version, then the invalidation, as
        // TaxonomyStore does) and a read that must see it. MemoryCache reports the dropped entry's eviction later,
        // on another thread, by when the next read has stored its replacement under the same key and tag: that late
        // report must not take the replacement out of reach of the next write's invalidation.
        var version = 0;
        Task<int> Read() => GetAsync(_ => Task.FromResult(Volatile.Read(ref version)));

        Assert.Equal(0, await Read());
        for (var round = 1; round <= 5000; round++)
        {
            Volatile.Write(ref version, round);
            _cache.Invalidate(["taxonomy"]);
            Assert.Equal(round, await Read());
        }
    }

    [Fact]
    public async Task A_read_that_begins_after_a_write_returned_sees_it_while_other_readers_and_writes_go_on()
    {
        var version = 0;    // what storage holds
        var committed = 0;  // the newest write whose invalidation has returned: what any read begun since must see
        Task<int> Read() => GetAsync(async _ =>
        {
            var read = Volatile.Read(ref version);
            await Task.Yield();
            return read;
        });

        using var stop = new CancellationTokenSource();
        var readers = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            var reads = 0;
            while (!stop.IsCancellationRequested)
            {
                var floor = Volatile.Read(ref committed);
                var seen = await Read();
                Assert.True(seen >= floor, $"a read begun after write {floor} returned version {seen}");
                reads++;
                await Task.Yield(); // a hit completes at once: give the writer and the loads their turn on the pool
            }
            return reads;
        })).ToList();
        for (var round = 1; round <= 2000; round++)
        {
            Volatile.Write(ref version, round);
            _cache.Invalidate(["taxonomy"]);
            Volatile.Write(ref committed, round);
            Assert.True(await Read() >= round);
        }
        await stop.CancelAsync();
        Assert.All(await Task.WhenAll(readers), reads => Assert.True(reads > 0));
    }

    [Fact]
    public async Task A_load_in_flight_when_the_write_lands_is_not_kept_and_the_next_read_loads_again()
    {
        var version = 1;
        var loadStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var loads = 0;
        async Task<int> Load(CancellationToken token)
        {
            var read = Volatile.Read(ref version);
            if (Interlocked.Increment(ref loads) == 1)
            {
                loadStarted.SetResult();
                await release.Task; // the write lands while this (now stale) read is in flight
            }
            return read;
        }

        var early = GetAsync(Load);
        await loadStarted.Task.WaitAsync(TimeSpan.FromMinutes(1));
        Volatile.Write(ref version, 2);
        _cache.Invalidate(["taxonomy"]);
        release.SetResult();

        Assert.Equal(1, await early); // asked before the write: the read in flight answers it
        Assert.Equal(2, await GetAsync(Load));
        Assert.Equal(2, Volatile.Read(ref loads));
    }
}
