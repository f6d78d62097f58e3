using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Newsroom.Functions;
using Newsroom.LocalHost.Hosting;

namespace Newsroom.IntegrationTests.Wiring;

/// <summary>
/// Builds the real Functions app host (Build, not Start) with the composition Program.cs uses, and
/// creates every function class from it, so a missing registration fails here rather than in Azure.
/// </summary>
public sealed class CompositionTests
{
    [Fact]
    public void Every_function_class_resolves_from_the_functions_app_host()
    {
        var builder = FunctionsApplication.CreateBuilder([]);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            // Identity-based settings as in Azure: no connection string anywhere.
            ["NewsroomStorage:BlobServiceUri"] = "https://stnewsroom.blob.core.windows.net",
            ["NewsroomStorage:QueueServiceUri"] = "https://stnewsroom.queue.core.windows.net",
            ["NewsroomStorage:TableServiceUri"] = "https://stnewsroom.table.core.windows.net",
            ["NewsroomStorage:Credential"] = "managedidentity",
            ["NewsroomStorage:ClientId"] = "00000000-0000-0000-0000-000000000001",
        });
        builder.ComposeNewsroom();
        using var host = builder.Build();

        var classes = FunctionMetadata.Load(FunctionMetadata.DefaultPath)
            .Select(f => f.ResolveMethod().DeclaringType!)
            .Distinct()
            .ToList();
        Assert.NotEmpty(classes);
        using var scope = host.Services.CreateScope();
        foreach (var type in classes)
        {
            Assert.NotNull(ActivatorUtilities.CreateInstance(scope.ServiceProvider, type));
        }
    }

    [Fact]
    public void Storage_settings_missing_fail_at_start_with_a_message_that_names_them()
    {
        var builder = FunctionsApplication.CreateBuilder([]);
        builder.ComposeNewsroom();
        using var host = builder.Build();
        var e = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() =>
            host.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Newsroom.Storage.StorageOptions>>().Value);
        Assert.Contains("NewsroomStorage:ConnectionString", e.Message, StringComparison.Ordinal);
    }
}
