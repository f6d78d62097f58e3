using Newsroom.LocalHost;

await using var host = await LocalHostApp.CreateAsync(args);
await host.RunAsync();
