using System.Diagnostics;

namespace Newsroom.LocalHost;

/// <summary>The processes the local host starts (the Functions app, Azurite) never outlive it.</summary>
internal static class ChildProcesses
{
    /// <summary>
    /// If the local host exits without stopping <paramref name="process"/> (a failure on the way out, Ctrl+C,
    /// SIGTERM, the test host ending), the process tree goes with it: closing its pipes would not stop it.
    /// </summary>
    public static void ExitWithHost(Process process) => AppDomain.CurrentDomain.ProcessExit += (_, _) => KillQuietly(process);

    private static void KillQuietly(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // Gone already, or disposed.
        }
    }
}
