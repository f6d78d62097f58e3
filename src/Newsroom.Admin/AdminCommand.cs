using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Newsroom.Backup;

namespace Newsroom.Admin;

/// <summary>
/// The operator's commands, run from a workstation against the newspaper's storage with the same
/// composition as the app (AddNewsroom): export the tables now, list the exports, restore one.
/// Storage comes from the same settings as the app's (environment variables or --Section:Key=value):
/// NewsroomStorage__connectionString locally, or NewsroomStorage__tableServiceUri / __blobServiceUri /
/// __queueServiceUri with your own Entra sign-in (az login) in Azure.
/// </summary>
public static class AdminCommand
{
    public const string Usage = """
        Usage: dotnet run --project src/Newsroom.Admin -- <command>
          backup                   export every table now (as the nightly TableBackup timer does)
          list                     list the complete exports, newest first
          restore <id> [--replace] rebuild the tables from export <id>; --replace empties non-empty tables first
        """;

    public static async Task<int> RunAsync(string[] args, TextWriter output, CancellationToken cancellationToken, IDictionary<string, string?>? settings = null)
    {
        var positional = args.Where(a => !a.StartsWith("--", StringComparison.Ordinal)).ToList();
        var flags = args.Where(a => a.StartsWith("--", StringComparison.Ordinal) && !a.Contains('=', StringComparison.Ordinal)).ToHashSet(StringComparer.Ordinal);
        var configuration = new ConfigurationBuilder()
            .AddEnvironmentVariables()
            .AddInMemoryCollection(settings ?? new Dictionary<string, string?>())
            .AddCommandLine([.. args.Where(a => a.Contains('=', StringComparison.Ordinal))])
            .Build();

        var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddLogging(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Information))
            .AddNewsroom(configuration);
        await using var provider = services.BuildServiceProvider();
        var backup = provider.GetRequiredService<TableBackup>();

        try
        {
            switch (positional)
            {
                case ["backup"]:
                    var made = await backup.ExportAsync(cancellationToken);
                    await output.WriteLineAsync($"{made.Id}: {made.Tables.Sum(t => t.Entities)} entities in {made.Tables.Count} tables");
                    return 0;
                case ["list"]:
                    foreach (var m in await backup.ListAsync(cancellationToken))
                    {
                        await output.WriteLineAsync($"{m.Id}  {m.StartedAt:O}  {m.Tables.Sum(t => t.Entities)} entities");
                    }
                    return 0;
                case ["restore", var id]:
                    var restored = await backup.RestoreAsync(id, flags.Contains("--replace"), cancellationToken);
                    await output.WriteLineAsync($"{restored.Id}: {restored.Tables.Sum(t => t.Entities)} entities restored in {restored.Tables.Count} tables; indexes and homepage rebuilt");
                    return 0;
                default:
                    await output.WriteLineAsync(Usage);
                    return 2;
            }
        }
        catch (NewsroomException e)
        {
            await output.WriteLineAsync(e.Message);
            return 1;
        }
        catch (InvalidDataException e)
        {
            await output.WriteLineAsync(e.Message);
            return 1;
        }
    }
}
