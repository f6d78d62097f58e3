using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;
using Newsroom.Functions;

var builder = FunctionsApplication.CreateBuilder(args);
builder.ComposeNewsroom();
builder.Build().Run();
