using Microsoft.Extensions.Configuration;

namespace Newsroom;

/// <summary>Where the app runs: App Service (Functions included) sets WEBSITE_SITE_NAME and WEBSITE_INSTANCE_ID on every instance.</summary>
public static class AzureEnvironment
{
    public static bool IsAzure(IConfiguration configuration) =>
        !string.IsNullOrEmpty(configuration["WEBSITE_SITE_NAME"]) || !string.IsNullOrEmpty(configuration["WEBSITE_INSTANCE_ID"]);
}
