using Newsroom.Admin;

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};
return await AdminCommand.RunAsync(args, Console.Out, cancel.Token);
