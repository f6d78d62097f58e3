using System.Diagnostics;

namespace Newsroom.UnitTests.Search;

/// <summary>Asks the operating system, from a process of its own, whether a search index's lock file is held.</summary>
public static class IndexLock
{
    /// <summary>Exit code of <c>flock -n file true</c>: 0 when it took the lock (nobody holds it), 1 when another process holds it.</summary>
    public static async Task<int> FlockAsync(string file)
    {
        using var flock = Process.Start(new ProcessStartInfo("flock", ["-n", file, "true"]) { UseShellExecute = false })!;
        await flock.WaitForExitAsync();
        return flock.ExitCode;
    }
}
