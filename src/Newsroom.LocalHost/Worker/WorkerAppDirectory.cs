using System.Text.Json;

namespace Newsroom.LocalHost.Worker;

/// <summary>
/// The Functions app as built: its directory and what its worker.config.json says to run
/// (defaultExecutablePath "dotnet", defaultWorkerPath "Newsroom.Functions.dll").
/// </summary>
internal sealed record WorkerAppDirectory(string Path, string ExecutablePath, string? WorkerPath)
{
    /// <summary>The build output of src/Newsroom.Functions that this local host was built with.</summary>
    public static string BuiltPath =>
        typeof(WorkerAppDirectory).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyMetadataAttribute), false)
            .OfType<System.Reflection.AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "FunctionsAppDirectory")?.Value
        ?? throw new InvalidOperationException("The local host was built without the Functions app's directory.");

    public static WorkerAppDirectory Load(string path)
    {
        var full = System.IO.Path.GetFullPath(path);
        var config = System.IO.Path.Combine(full, "worker.config.json");
        if (!File.Exists(config))
        {
            throw new FileNotFoundException($"No worker.config.json in {full}: build src/Newsroom.Functions first (dotnet build).", config);
        }
        using var document = JsonDocument.Parse(File.ReadAllText(config));
        var description = document.RootElement.GetProperty("description");
        var executable = description.TryGetProperty("defaultExecutablePath", out var e) ? e.GetString() ?? "dotnet" : "dotnet";
        var worker = description.TryGetProperty("defaultWorkerPath", out var w) ? w.GetString() : null;
        return new WorkerAppDirectory(full, executable, worker is null ? null : System.IO.Path.Combine(full, worker));
    }
}
