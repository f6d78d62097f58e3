// This machine's ceiling: the smallest ASP.NET Core app that answers with the very bytes and headers the
// local host sent for the same request. Usage: Ceiling <body-file> <etag> <cache-control> --urls http://127.0.0.1:PORT
var body = await File.ReadAllBytesAsync(args[0]);
var etag = args[1];
var cacheControl = args[2];
var builder = WebApplication.CreateSlimBuilder(args[3..]);
builder.Logging.ClearProviders();
var app = builder.Build();
app.MapGet("/{**path}", async context =>
{
    context.Response.Headers.ETag = etag;
    context.Response.Headers.CacheControl = cacheControl;
    context.Response.ContentType = "application/json; charset=utf-8";
    context.Response.ContentLength = body.Length;
    await context.Response.Body.WriteAsync(body);
});
await app.RunAsync();
