package io.reelhook.simulator;

import java.io.IOException;
import java.net.http.HttpResponse.BodySubscriber;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/** A download that gives up past a number of bytes: a {@code video_url} cannot fill the disk. */
final class CappedBody<T> implements BodySubscriber<T> {

    private final BodySubscriber<T> delegate;
    private final long max;
    private long received;
    private Flow.Subscription subscription;
    private boolean stopped;

    CappedBody(BodySubscriber<T> delegate, long max) {
        this.delegate = delegate;
        this.max = max;
    }

    @Override
    public CompletionStage<T> getBody() {
        return delegate.getBody();
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
        this.subscription = subscription;
        delegate.onSubscribe(subscription);
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
        if (stopped) {
            return;
        }
        for (ByteBuffer item : items) {
            received += item.remaining();
        }
        if (received > max) {
            stopped = true;
            subscription.cancel();
            delegate.onError(new IOException("the video is larger than " + max + " bytes"));
            return;
        }
        delegate.onNext(items);
    }

    @Override
    public void onError(Throwable error) {
        if (!stopped) {
            delegate.onError(error);
        }
    }

    @Override
    public void onComplete() {
        if (!stopped) {
            delegate.onComplete();
        }
    }
}
