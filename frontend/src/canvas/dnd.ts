/** The drag-and-drop data type that carries a component id from the palette to the canvas. */
export const DND_MIME = "application/x-designer-component";
