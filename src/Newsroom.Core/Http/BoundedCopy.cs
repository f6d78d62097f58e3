namespace Newsroom.Http;

/// <summary>Copies a request stream while counting, and stops the moment it passes a limit.</summary>
public static class BoundedCopy
{
    /// <returns>The number of bytes copied.</returns>
    public static async Task<long> CopyAsync(Stream source, Stream destination, long maxBytes, Func<NewsroomException> tooLarge, CancellationToken cancellationToken)
    {
        var buffer = new byte[81920];
        long total = 0;
        int read;
        while ((read = await source.ReadAsync(buffer, cancellationToken)) > 0)
        {
            total += read;
            if (total > maxBytes)
            {
                throw tooLarge();
            }
            await destination.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
        }
        return total;
    }
}
