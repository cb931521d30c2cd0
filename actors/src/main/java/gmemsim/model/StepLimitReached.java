package gmemsim.model;

import java.util.List;

/** The runtime stopped a run that kept delivering messages past its step limit. */
public record StepLimitReached(long steps, List<String> unfinished) implements Event {}
