using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;
using Newsroom.Functions.Http;

namespace Newsroom.Functions;

/// <summary>The Functions app's composition, shared by Program.cs and the composition test.</summary>
public static class NewsroomFunctionsApp
{
    public static FunctionsApplicationBuilder ComposeNewsroom(this FunctionsApplicationBuilder builder)
    {
        builder.ConfigureFunctionsWebApplication();
        builder.UseMiddleware<ProblemDetailsMiddleware>();
        builder.Services.AddNewsroom(builder.Configuration);
        builder.Services.AddNewsroomTelemetry(builder.Configuration);
        return builder;
    }
}
