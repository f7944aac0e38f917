/** The most runs a comparison takes (its statistics; a grid of models × scenarios × trials). */
export const MAX_COMPARE = 200;
/** The most runs shown side by side, check by check and chart by chart. */
export const MAX_SIDE_BY_SIDE = 4;
